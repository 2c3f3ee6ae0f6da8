using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Csi.Sandboxes.Kubernetes.Internal;

/// <summary>
/// Reads JSON or YAML manifests into JSON nodes, as <c>sigs.k8s.io/yaml</c> does for kubectl: every YAML document
/// becomes one JSON value. Plain scalars follow the YAML 1.2 core schema (null, true/false, integers, floats);
/// quoted scalars are always strings.
/// </summary>
internal static class ManifestReader
{
    /// <summary>Parses one JSON or YAML document into an object; throws <see cref="ApiException"/> (400) when it is not one.</summary>
    public static JsonObject ReadObject(ReadOnlySpan<byte> body, bool yaml)
    {
        var docs = yaml ? ReadYaml(Encoding.UTF8.GetString(body)) : [ParseJson(body)];
        if (docs.Count != 1 || docs[0] is not JsonObject obj)
        {
            throw ApiException.BadRequest("the request body is not a single JSON or YAML object");
        }

        return obj;
    }

    /// <summary>All objects in a manifest: a JSON object or array, a <c>List</c>, or multi-document YAML.</summary>
    public static IReadOnlyList<JsonObject> ReadObjects(string text)
    {
        var trimmed = text.TrimStart();
        IReadOnlyList<JsonNode?> docs = trimmed.StartsWith('{') || trimmed.StartsWith('[')
            ? [ParseJson(Encoding.UTF8.GetBytes(text))]
            : ReadYaml(text);

        var result = new List<JsonObject>();
        foreach (var doc in docs)
        {
            Flatten(doc, result);
        }

        return result;
    }

    public static List<JsonNode?> ReadYaml(string text)
    {
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(text));
        }
        catch (YamlException e)
        {
            throw ApiException.BadRequest("error converting YAML to JSON: " + e.Message);
        }

        // Round-trip through text so numbers behave like parsed JSON (any numeric conversion works).
        return stream.Documents.Select(d => Convert(d.RootNode)).Where(n => n is not null).Select(n => JsonNode.Parse(n!.ToJsonString())).ToList();
    }

    private static JsonNode? ParseJson(ReadOnlySpan<byte> body)
    {
        try
        {
            return JsonNode.Parse(body);
        }
        catch (JsonException e)
        {
            throw ApiException.BadRequest("the object provided is unrecognized or invalid JSON: " + e.Message);
        }
    }

    private static void Flatten(JsonNode? doc, List<JsonObject> into)
    {
        switch (doc)
        {
            case JsonArray array:
                foreach (var item in array)
                {
                    Flatten(item, into);
                }

                break;
            case JsonObject obj when obj["kind"]?.GetValue<string>() is { } kind && kind.EndsWith("List", StringComparison.Ordinal) && obj["items"] is JsonArray items:
                foreach (var item in items)
                {
                    Flatten(item, into);
                }

                break;
            case JsonObject obj:
                into.Add(obj);
                break;
        }
    }

    private static JsonNode? Convert(YamlNode node)
    {
        switch (node)
        {
            case YamlMappingNode map:
                var obj = new JsonObject();
                foreach (var (key, value) in map.Children)
                {
                    var name = key is YamlScalarNode s ? s.Value ?? string.Empty : key.ToString();
                    obj[name] = Convert(value);
                }

                return obj;
            case YamlSequenceNode seq:
                var array = new JsonArray();
                foreach (var item in seq.Children)
                {
                    array.Add(Convert(item));
                }

                return array;
            case YamlScalarNode scalar:
                return ConvertScalar(scalar);
            default:
                return null;
        }
    }

    private static JsonValue? ConvertScalar(YamlScalarNode scalar)
    {
        var text = scalar.Value ?? string.Empty;
        if (scalar.Style is ScalarStyle.SingleQuoted or ScalarStyle.DoubleQuoted or ScalarStyle.Literal or ScalarStyle.Folded)
        {
            return JsonValue.Create(text);
        }

        if (scalar.Tag.IsGlobal && scalar.Tag.Value == "tag:yaml.org,2002:str")
        {
            return JsonValue.Create(text);
        }

        switch (text)
        {
            case "" or "~" or "null" or "Null" or "NULL":
                return null;
            case "true" or "True" or "TRUE":
                return JsonValue.Create(true);
            case "false" or "False" or "FALSE":
                return JsonValue.Create(false);
        }

        if (long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var l))
        {
            return JsonValue.Create(l);
        }

        if (text.StartsWith("0x", StringComparison.Ordinal) && long.TryParse(text.AsSpan(2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var hex))
        {
            return JsonValue.Create(hex);
        }

        if (LooksNumeric(text) && double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var d))
        {
            return JsonValue.Create(d);
        }

        return JsonValue.Create(text);
    }

    private static bool LooksNumeric(string text) =>
        text.Length > 0 && (char.IsAsciiDigit(text[0]) || ((text[0] is '-' or '+' or '.') && text.Length > 1 && (char.IsAsciiDigit(text[1]) || text[1] == '.')));
}
