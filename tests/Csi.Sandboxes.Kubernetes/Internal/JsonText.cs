using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Csi.Sandboxes.Kubernetes.Internal;

/// <summary>JSON helpers shared by the store and the HTTP layer.</summary>
internal static class JsonText
{
    public static readonly JsonSerializerOptions Options = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static byte[] Serialize(JsonNode node) => JsonSerializer.SerializeToUtf8Bytes(node, Options);

    public static string? GetString(JsonNode? node, params string[] path)
    {
        var current = node;
        foreach (var p in path)
        {
            current = current is JsonObject o ? o[p] : null;
        }

        return current is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;
    }

    /// <summary>A scalar rendered as the API server renders field-selector values (booleans as true/false).</summary>
    public static string Scalar(JsonNode? node, string fallback = "") => node switch
    {
        JsonValue v when v.TryGetValue<string>(out var s) => s,
        JsonValue v when v.GetValueKind() == JsonValueKind.True => "true",
        JsonValue v when v.GetValueKind() == JsonValueKind.False => "false",
        JsonValue v when v.GetValueKind() == JsonValueKind.Number => v.ToJsonString(),
        _ => fallback,
    };

    public static JsonObject Metadata(JsonObject obj)
    {
        if (obj["metadata"] is JsonObject meta)
        {
            return meta;
        }

        meta = new JsonObject();
        obj["metadata"] = meta;
        return meta;
    }

    public static JsonObject Child(JsonObject obj, string name)
    {
        if (obj[name] is JsonObject child)
        {
            return child;
        }

        child = new JsonObject();
        obj[name] = child;
        return child;
    }

    public static void SetDefault(JsonObject obj, string name, JsonNode? value)
    {
        if (obj[name] is null)
        {
            obj[name] = value;
        }
    }

    public static string Timestamp(DateTimeOffset time) =>
        time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    public static List<string> Strings(JsonNode? node) =>
        node is JsonArray a ? a.Select(n => n is JsonValue v && v.TryGetValue<string>(out var s) ? s : null).OfType<string>().ToList() : [];

    public static JsonArray ToArray(IEnumerable<string> values) => new(values.Select(v => (JsonNode?)JsonValue.Create(v)).ToArray());
}
