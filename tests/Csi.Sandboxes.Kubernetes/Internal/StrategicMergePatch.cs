using System.Text.Json.Nodes;

namespace Csi.Sandboxes.Kubernetes.Internal;

/// <summary>
/// Strategic merge patch for built-in kinds, simplified: JSON merge semantics, plus merging of the well-known lists by
/// their merge key (looked up by field name, e.g. <c>containers</c> by <c>name</c>, <c>ownerReferences</c> by
/// <c>uid</c>), set-union of <c>finalizers</c>, and the <c>$patch</c> (replace/delete/merge), <c>$retainKeys</c> and
/// <c>$deleteFromPrimitiveList/&lt;field&gt;</c> directives. <c>$setElementOrder</c> is accepted and ignored.
/// </summary>
internal static class StrategicMergePatch
{
    private static readonly Dictionary<string, string> MergeKeys = new(StringComparer.Ordinal)
    {
        ["containers"] = "name",
        ["initContainers"] = "name",
        ["ephemeralContainers"] = "name",
        ["volumes"] = "name",
        ["env"] = "name",
        ["imagePullSecrets"] = "name",
        ["resourceClaims"] = "name",
        ["secrets"] = "name",
        ["drivers"] = "name",
        ["volumeMounts"] = "mountPath",
        ["volumeDevices"] = "devicePath",
        ["ports"] = "containerPort",
        ["conditions"] = "type",
        ["addresses"] = "type",
        ["ownerReferences"] = "uid",
        ["hostAliases"] = "ip",
        ["topologySpreadConstraints"] = "topologyKey",
    };

    private static readonly HashSet<string> PrimitiveMergeLists = new(StringComparer.Ordinal) { "finalizers" };

    public static JsonObject Apply(JsonObject original, JsonObject patch)
    {
        var result = (JsonObject)original.DeepClone();
        return MergeMap(result, patch) ?? new JsonObject();
    }

    private static JsonObject? MergeMap(JsonObject target, JsonObject patch)
    {
        switch (patch["$patch"]?.GetValue<string>())
        {
            case "delete":
                return null;
            case "replace":
                return Clean(patch);
        }

        foreach (var (key, value) in patch)
        {
            if (key is "$patch" or "$retainKeys" || key.StartsWith("$setElementOrder/", StringComparison.Ordinal))
            {
                continue;
            }

            if (key.StartsWith("$deleteFromPrimitiveList/", StringComparison.Ordinal))
            {
                var field = key["$deleteFromPrimitiveList/".Length..];
                if (target[field] is JsonArray list && value is JsonArray remove)
                {
                    for (var i = list.Count - 1; i >= 0; i--)
                    {
                        if (remove.Any(r => JsonNode.DeepEquals(r, list[i])))
                        {
                            list.RemoveAt(i);
                        }
                    }
                }

                continue;
            }

            if (value is null)
            {
                target.Remove(key);
            }
            else if (value is JsonObject valueObject && target[key] is JsonObject existing)
            {
                var merged = MergeMap(existing, valueObject);
                if (merged is null)
                {
                    target.Remove(key);
                }
                else if (!ReferenceEquals(merged, existing))
                {
                    target[key] = merged;
                }
            }
            else if (value is JsonArray valueArray && target[key] is JsonArray existingArray)
            {
                target[key] = MergeList(key, existingArray, valueArray);
            }
            else
            {
                target[key] = value is JsonObject o ? Clean(o) : value is JsonArray a ? CleanList(a) : value.DeepClone();
            }
        }

        if (patch["$retainKeys"] is JsonArray retain)
        {
            var keep = retain.Select(k => k?.GetValue<string>()).OfType<string>().ToHashSet(StringComparer.Ordinal);
            foreach (var key in target.Select(p => p.Key).Where(k => !keep.Contains(k)).ToList())
            {
                target.Remove(key);
            }
        }

        return target;
    }

    private static JsonArray MergeList(string field, JsonArray target, JsonArray patch)
    {
        if (patch.OfType<JsonObject>().Any(o => o["$patch"]?.GetValue<string>() == "replace"))
        {
            return CleanList(new JsonArray(patch.Where(e => e is not JsonObject o || o["$patch"]?.GetValue<string>() != "replace").Select(e => e?.DeepClone()).ToArray()));
        }

        if (PrimitiveMergeLists.Contains(field))
        {
            var result = (JsonArray)target.DeepClone();
            foreach (var item in patch)
            {
                if (!result.Any(r => JsonNode.DeepEquals(r, item)))
                {
                    result.Add(item?.DeepClone());
                }
            }

            return result;
        }

        if (!MergeKeys.TryGetValue(field, out var mergeKey))
        {
            return CleanList(patch);
        }

        var merged = (JsonArray)target.DeepClone();
        foreach (var item in patch)
        {
            if (item is not JsonObject element)
            {
                merged.Add(item?.DeepClone());
                continue;
            }

            var keyValue = element[mergeKey];
            var index = -1;
            for (var i = 0; i < merged.Count; i++)
            {
                if (merged[i] is JsonObject candidate && JsonNode.DeepEquals(candidate[mergeKey], keyValue))
                {
                    index = i;
                    break;
                }
            }

            if (element["$patch"]?.GetValue<string>() == "delete")
            {
                if (index >= 0)
                {
                    merged.RemoveAt(index);
                }

                continue;
            }

            if (index >= 0)
            {
                var existing = (JsonObject)merged[index]!;
                var result = MergeMap(existing, element);
                if (result is null)
                {
                    merged.RemoveAt(index);
                }
                else if (!ReferenceEquals(result, existing))
                {
                    merged[index] = result;
                }
            }
            else
            {
                merged.Add(Clean(element));
            }
        }

        return merged;
    }

    private static JsonObject Clean(JsonObject patch)
    {
        var result = new JsonObject();
        return MergeMap(result, patch.Where(p => p.Key != "$patch").Aggregate(new JsonObject(), (o, p) =>
        {
            o[p.Key] = p.Value?.DeepClone();
            return o;
        })) ?? result;
    }

    private static JsonArray CleanList(JsonArray list) =>
        new(list.Select(e => e is JsonObject o ? Clean(o) : e?.DeepClone()).ToArray());
}
