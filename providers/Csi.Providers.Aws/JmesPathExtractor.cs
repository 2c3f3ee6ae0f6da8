using System.Text;
using System.Text.Json;
using DevLab.JmesPath;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;

namespace Csi.Providers.Aws;

/// <summary>
/// <c>jmesPath</c>: evaluates each entry's expression against a JSON value and returns the string it selects.
/// The value must be JSON and each result a string; the messages are upstream's and never carry the value.
/// </summary>
internal static class JmesPathExtractor
{
    private static readonly JmesPath Engine = new();

    /// <summary>Null when the expression compiles, else upstream's message.</summary>
    public static string? CheckExpression(string path)
    {
        try
        {
            _ = Engine.Parse(path);
            return null;
        }
#pragma warning disable CA1031 // The JMESPath parser throws many unrelated exception types for a bad expression.
        catch (Exception)
#pragma warning restore CA1031
        {
            return $"Invalid JMES Path: {path}.";
        }
    }

    /// <summary>The string each entry selects, in order; throws <see cref="JmesPathException"/> with upstream's wording.</summary>
    public static IReadOnlyList<byte[]> Extract(ReadOnlyMemory<byte> value, IReadOnlyList<JmesPathEntry> entries, string objectName)
    {
        if (entries.Count == 0)
        {
            return [];
        }
        var document = Parse(value) ?? throw new JmesPathException($"Invalid JSON used with jmesPath in secret: {objectName}.");
        var results = new List<byte[]>(entries.Count);
        foreach (var entry in entries)
        {
            JToken? result;
            try
            {
#pragma warning disable CS0618 // The string overload re-parses with dates turned into DateTime; this one keeps strings as they are.
                result = Engine.Transform(document, entry.Path);
#pragma warning restore CS0618
            }
#pragma warning disable CA1031 // See CheckExpression: any failure of the engine is a bad path for this value.
            catch (Exception)
#pragma warning restore CA1031
            {
                throw new JmesPathException($"Invalid JMES Path: {entry.Path}.");
            }
            if (result is null || result.Type is JTokenType.Null or JTokenType.Undefined)
            {
                throw new JmesPathException($"JMES Path - {entry.Path} for object alias - {entry.ObjectAlias} does not point to a valid object.");
            }
            if (result.Type != JTokenType.String)
            {
                throw new JmesPathException($"Invalid JMES search result type for path:{entry.Path}. Only string is allowed.");
            }
            results.Add(Encoding.UTF8.GetBytes(result.Value<string>() ?? string.Empty));
        }
        return results;
    }

    /// <summary>Strict JSON (as Go's decoder) read into Newtonsoft tokens, keeping date-like strings as strings.</summary>
    private static JToken? Parse(ReadOnlyMemory<byte> value)
    {
        try
        {
            using var strict = JsonDocument.Parse(value, new JsonDocumentOptions { MaxDepth = 10000 });
        }
        catch (System.Text.Json.JsonException)
        {
            return null;
        }
        catch (ArgumentException)
        {
            return null;
        }
        using var reader = new JsonTextReader(new StringReader(Encoding.UTF8.GetString(value.Span)))
        {
            DateParseHandling = DateParseHandling.None,
            FloatParseHandling = FloatParseHandling.Double,
            MaxDepth = null,
        };
        try
        {
            return JToken.Load(reader);
        }
        catch (Exception e) when (e is JsonReaderException or OverflowException or FormatException)
        {
            return null;
        }
    }
}
