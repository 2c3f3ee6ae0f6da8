using System.Text.Json.Nodes;

namespace Csi.Sandboxes.Kubernetes.Internal;

/// <summary>JSON merge patch (RFC 7386): objects merge key by key, <c>null</c> removes, anything else replaces.</summary>
internal static class MergePatch
{
    public static JsonNode? Apply(JsonNode? target, JsonNode? patch)
    {
        if (patch is not JsonObject patchObject)
        {
            return patch?.DeepClone();
        }

        var result = target is JsonObject t ? (JsonObject)t.DeepClone() : new JsonObject();
        MergeInto(result, patchObject);
        return result;
    }

    private static void MergeInto(JsonObject target, JsonObject patch)
    {
        foreach (var (key, value) in patch)
        {
            if (value is null)
            {
                target.Remove(key);
            }
            else if (value is JsonObject valueObject)
            {
                if (target[key] is JsonObject existing)
                {
                    MergeInto(existing, valueObject);
                }
                else
                {
                    var fresh = new JsonObject();
                    MergeInto(fresh, valueObject);
                    target[key] = fresh;
                }
            }
            else
            {
                target[key] = value.DeepClone();
            }
        }
    }
}
