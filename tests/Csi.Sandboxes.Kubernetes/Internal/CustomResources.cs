using System.Text.Json.Nodes;

namespace Csi.Sandboxes.Kubernetes.Internal;

/// <summary>
/// CustomResourceDefinition handling: defaults, the validation the API server does on a definition (the parts
/// that decide whether the resource can be served), its status, and the store and per-version views it serves.
/// </summary>
internal static class CustomResources
{
    public static void DefaultDefinition(JsonObject crd)
    {
        var spec = JsonText.Child(crd, "spec");
        var names = JsonText.Child(spec, "names");
        var kind = JsonText.GetString(names, "kind");
        if (kind is not null)
        {
            JsonText.SetDefault(names, "singular", kind.ToLowerInvariant());
            JsonText.SetDefault(names, "listKind", kind + "List");
        }

        JsonText.SetDefault(spec, "conversion", new JsonObject { ["strategy"] = "None" });
    }

    public static List<FieldError> Validate(JsonObject crd)
    {
        var errors = new List<FieldError>();
        var spec = crd["spec"] as JsonObject;
        var group = JsonText.GetString(spec, "group");
        var plural = JsonText.GetString(spec, "names", "plural");
        var kind = JsonText.GetString(spec, "names", "kind");
        var scope = JsonText.GetString(spec, "scope");
        var name = JsonText.GetString(crd, "metadata", "name");

        if (string.IsNullOrEmpty(group))
        {
            errors.Add(FieldError.Required("spec.group"));
        }
        else if (!group.Contains('.', StringComparison.Ordinal))
        {
            errors.Add(FieldError.Invalid("spec.group", JsonValue.Create(group), "should be a domain with at least one dot"));
        }

        if (string.IsNullOrEmpty(plural))
        {
            errors.Add(FieldError.Required("spec.names.plural"));
        }
        else if (!Names.IsDnsLabel(plural))
        {
            errors.Add(FieldError.Invalid("spec.names.plural", JsonValue.Create(plural), Names.DnsLabelMessage));
        }

        if (string.IsNullOrEmpty(kind))
        {
            errors.Add(FieldError.Required("spec.names.kind"));
        }

        if (scope is not ("Namespaced" or "Cluster"))
        {
            errors.Add(scope is null
                ? FieldError.Required("spec.scope")
                : FieldError.NotSupported("spec.scope", JsonValue.Create(scope), ["\"Cluster\"", "\"Namespaced\""]));
        }

        if (!string.IsNullOrEmpty(group) && !string.IsNullOrEmpty(plural) && name != plural + "." + group)
        {
            errors.Add(FieldError.Invalid("metadata.name", JsonValue.Create(name), "must be spec.names.plural+\".\"+spec.group"));
        }

        var versions = (spec?["versions"] as JsonArray)?.OfType<JsonObject>().ToList() ?? [];
        if (versions.Count == 0)
        {
            errors.Add(FieldError.Invalid("spec.versions", new JsonArray(), "must have exactly one version marked as storage version"));
        }
        else
        {
            if (versions.Count(v => v["storage"]?.GetValue<bool>() == true) != 1)
            {
                errors.Add(FieldError.Invalid("spec.versions", JsonValue.Create(versions.Count), "must have exactly one version marked as storage version"));
            }

            for (var i = 0; i < versions.Count; i++)
            {
                var v = JsonText.GetString(versions[i], "name");
                if (string.IsNullOrEmpty(v) || !Names.IsDnsLabel(v))
                {
                    errors.Add(FieldError.Invalid($"spec.versions[{i}].name", JsonValue.Create(v), Names.DnsLabelMessage));
                }

                if (versions[i]["schema"]?["openAPIV3Schema"] is not JsonObject)
                {
                    errors.Add(FieldError.Required($"spec.versions[{i}].schema.openAPIV3Schema", "schemas are required"));
                }
            }
        }

        return errors;
    }

    public static void SetStatus(JsonObject crd, DateTimeOffset now)
    {
        var spec = (JsonObject)crd["spec"]!;
        var names = (JsonObject)spec["names"]!.DeepClone();
        var storage = (spec["versions"] as JsonArray)?.OfType<JsonObject>().FirstOrDefault(v => v["storage"]?.GetValue<bool>() == true);
        var previous = crd["status"] as JsonObject;
        var stored = JsonText.Strings(previous?["storedVersions"]);
        var storageName = JsonText.GetString(storage, "name");
        if (storageName is not null && !stored.Contains(storageName, StringComparer.Ordinal))
        {
            stored.Add(storageName);
        }

        var time = JsonText.Timestamp(now);
        crd["status"] = new JsonObject
        {
            ["acceptedNames"] = names,
            ["conditions"] = new JsonArray(
                new JsonObject { ["type"] = "NamesAccepted", ["status"] = "True", ["lastTransitionTime"] = time, ["reason"] = "NoConflicts", ["message"] = "no conflicts found" },
                new JsonObject { ["type"] = "Established", ["status"] = "True", ["lastTransitionTime"] = time, ["reason"] = "InitialNamesAccepted", ["message"] = "the initial names have been accepted" }),
            ["storedVersions"] = JsonText.ToArray(stored),
        };
    }

    /// <summary>The store (reused when the definition is updated) and one view per served version.</summary>
    public static (ResourceStore Store, List<ResourceType> Views) Build(JsonObject crd, ResourceStore? existing, int windowSize)
    {
        var spec = (JsonObject)crd["spec"]!;
        var group = JsonText.GetString(spec, "group")!;
        var names = (JsonObject)spec["names"]!;
        var plural = JsonText.GetString(names, "plural")!;
        var kind = JsonText.GetString(names, "kind")!;
        var namespaced = JsonText.GetString(spec, "scope") == "Namespaced";
        var versions = ((JsonArray)spec["versions"]!).OfType<JsonObject>().ToList();
        var storageVersion = JsonText.GetString(versions.First(v => v["storage"]?.GetValue<bool>() == true), "name")!;

        var selectable = versions
            .SelectMany(v => (v["selectableFields"] as JsonArray)?.OfType<JsonObject>() ?? [])
            .Select(f => JsonText.GetString(f, "jsonPath")?.TrimStart('.'))
            .OfType<string>()
            .Distinct(StringComparer.Ordinal)
            .ToList();

        var store = existing is not null && existing.Namespaced == namespaced && existing.Kind == kind
            ? existing
            : new ResourceStore(group, plural, kind, namespaced, windowSize)
            {
                AllowUnconditionalUpdate = false,
                ReturnDeletedObject = true,
                SupportsStrategicMerge = false,
                TracksGeneration = true,
            };
        store.FieldExtractor = o =>
        {
            var fields = (Dictionary<string, string>)BuiltInResources.Fields(o, namespaced);
            foreach (var path in selectable)
            {
                JsonNode? node = o;
                foreach (var part in path.Split('.'))
                {
                    node = node is JsonObject obj ? obj[part] : null;
                }

                fields[path] = JsonText.Scalar(node);
            }

            return fields;
        };

        var views = new List<ResourceType>();
        foreach (var v in versions.Where(v => v["served"]?.GetValue<bool>() != false))
        {
            var fieldMap = new Dictionary<string, string>(StringComparer.Ordinal) { ["metadata.name"] = "metadata.name", ["metadata.namespace"] = "metadata.namespace" };
            foreach (var f in (v["selectableFields"] as JsonArray)?.OfType<JsonObject>() ?? [])
            {
                if (JsonText.GetString(f, "jsonPath")?.TrimStart('.') is { } path)
                {
                    fieldMap[path] = path;
                }
            }

            views.Add(new ResourceType
            {
                Group = group,
                Version = JsonText.GetString(v, "name")!,
                Resource = plural,
                Kind = kind,
                Singular = JsonText.GetString(names, "singular") ?? kind.ToLowerInvariant(),
                ShortNames = JsonText.Strings(names["shortNames"]),
                Categories = JsonText.Strings(names["categories"]),
                HasStatus = v["subresources"]?["status"] is JsonObject,
                IsCustom = true,
                Schema = v["schema"]?["openAPIV3Schema"] is JsonObject schema ? new StructuralSchema((JsonObject)schema.DeepClone()) : null,
                SelectableFields = fieldMap,
                Store = store,
                StorageApiVersion = group + "/" + storageVersion,
            });
        }

        return (store, views);
    }
}
