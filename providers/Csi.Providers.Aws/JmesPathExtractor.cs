using System.Text;
using System.Text.Json;
using Csi.Providers.Aws.JmesPath;

namespace Csi.Providers.Aws;

/// <summary>
/// <c>jmesPath</c>: evaluates each entry's expression against a JSON value and returns the string it selects.
/// The value must be JSON and each result a string; the messages are upstream's and never carry the value.
/// </summary>
internal static class JmesPathExtractor
{
    /// <summary>Null when the expression compiles, else upstream's message.</summary>
    public static string? CheckExpression(string path)
    {
        try
        {
            _ = JmesExpression.Compile(path);
            return null;
        }
        catch (JmesPathError)
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
        object? document;
        try
        {
            document = JmesValue.Parse(value.Span);
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
            throw new JmesPathException($"Invalid JSON used with jmesPath in secret: {objectName}.");
        }
        var results = new List<byte[]>(entries.Count);
        foreach (var entry in entries)
        {
            object? result;
            try
            {
                result = JmesExpression.Compile(entry.Path).Search(document);
            }
            catch (JmesPathError e)
            {
                // Upstream words every compile or evaluation error the same way; the engine's own message (position,
                // function, types, never the value) is kept as the inner exception for the logs.
                throw new JmesPathException($"Invalid JMES Path: {entry.Path}.", e);
            }
            if (result is null)
            {
                throw new JmesPathException($"JMES Path - {entry.Path} for object alias - {entry.ObjectAlias} does not point to a valid object.");
            }
            if (result is not string text)
            {
                throw new JmesPathException($"Invalid JMES search result type for path:{entry.Path}. Only string is allowed.");
            }
            results.Add(Encoding.UTF8.GetBytes(text));
        }
        return results;
    }
}
