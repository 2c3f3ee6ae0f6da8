using System.Text.Json.Nodes;

namespace Csi.Sandboxes.Kubernetes.Internal;

/// <summary>
/// The typed scalar fields of a built-in kind that the API server decodes rather than stores as sent: quantities,
/// <c>metav1.Time</c> and <c>metav1.MicroTime</c>. Paths are dotted, <c>name[]</c> walks each item of a list and
/// <c>*</c> each value of a map (<c>spec.containers[].resources.requests.*</c>).
/// </summary>
internal sealed class FieldFormats
{
    public IReadOnlyList<string> Quantities { get; init; } = [];

    public IReadOnlyList<string> Times { get; init; } = [];

    public IReadOnlyList<string> MicroTimes { get; init; } = [];

    /// <summary>Rewrites every typed field in canonical form; throws <see cref="FormatException"/> with the decoder's message.</summary>
    public void Canonicalize(JsonObject obj)
    {
        foreach (var path in Quantities)
        {
            Visit(obj, path.Split('.'), 0, Quantity);
        }

        foreach (var path in Times)
        {
            Visit(obj, path.Split('.'), 0, v => Time(v, micro: false));
        }

        foreach (var path in MicroTimes)
        {
            Visit(obj, path.Split('.'), 0, v => Time(v, micro: true));
        }
    }

    private static JsonNode? Quantity(JsonNode? value) => value switch
    {
        null => "0",
        JsonValue v when v.TryGetValue<string>(out var text) => Internal.Quantity.Canonical(text.Trim()),
        JsonValue v => Internal.Quantity.Canonical(v.ToJsonString()),
        _ => throw new FormatException(Internal.Quantity.FormatWrong),
    };

    private static JsonNode? Time(JsonNode? value, bool micro) => value switch
    {
        null => null,
        JsonValue v when v.TryGetValue<string>(out var text) => ApiTime.Canonical(text, micro),
        JsonValue v => throw new FormatException($"json: cannot unmarshal {v.GetValueKind().ToString().ToLowerInvariant()} into Go value of type string"),
        _ => throw new FormatException($"json: cannot unmarshal {(value is JsonArray ? "array" : "object")} into Go value of type string"),
    };

    private static void Visit(JsonObject parent, string[] path, int index, Func<JsonNode?, JsonNode?> rewrite)
    {
        var segment = path[index];
        var last = index == path.Length - 1;
        if (segment == "*")
        {
            foreach (var key in parent.Select(p => p.Key).ToList())
            {
                if (last)
                {
                    parent[key] = rewrite(parent[key]);
                }
                else if (parent[key] is JsonObject child)
                {
                    Visit(child, path, index + 1, rewrite);
                }
            }

            return;
        }

        if (segment.EndsWith("[]", StringComparison.Ordinal))
        {
            if (parent[segment[..^2]] is JsonArray items)
            {
                foreach (var item in items.OfType<JsonObject>())
                {
                    Visit(item, path, index + 1, rewrite);
                }
            }

            return;
        }

        if (!parent.ContainsKey(segment))
        {
            return;
        }

        if (last)
        {
            // A null optional field stays null (absent); map values are rewritten even when null.
            if (parent[segment] is not null)
            {
                parent[segment] = rewrite(parent[segment]);
            }
        }
        else if (parent[segment] is JsonObject child)
        {
            Visit(child, path, index + 1, rewrite);
        }
    }
}
