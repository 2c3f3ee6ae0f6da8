using System.Globalization;
using System.Text.Json.Nodes;

namespace Csi.Sandboxes.Kubernetes.Internal;

/// <summary>JSON patch (RFC 6902): add, remove, replace, move, copy and test, applied in order to a copy.</summary>
internal static class JsonPatch
{
    public static JsonNode? Apply(JsonNode? document, JsonNode? patch)
    {
        if (patch is not JsonArray operations)
        {
            throw ApiException.BadRequest("json: cannot unmarshal object into Go value of type jsonpatch.Patch");
        }

        var root = document?.DeepClone();
        foreach (var node in operations)
        {
            if (node is not JsonObject op)
            {
                throw ApiException.BadRequest("invalid JSON patch operation");
            }

            var kind = op["op"]?.GetValue<string>() ?? string.Empty;
            var path = op["path"]?.GetValue<string>() ?? throw Unprocessable($"Unable to find 'path' in {kind} operation");
            switch (kind)
            {
                case "add":
                    root = Add(root, path, Value(op, kind)?.DeepClone());
                    break;
                case "remove":
                    root = Remove(root, path, out _);
                    break;
                case "replace":
                    root = Remove(root, path, out _, $"replace operation does not apply: doc is missing key: {path}");
                    root = Add(root, path, Value(op, kind)?.DeepClone());
                    break;
                case "move":
                    {
                        var from = op["from"]?.GetValue<string>() ?? throw Unprocessable("missing 'from' in move operation");
                        root = Remove(root, from, out var moved);
                        root = Add(root, path, moved);
                        break;
                    }

                case "copy":
                    {
                        var from = op["from"]?.GetValue<string>() ?? throw Unprocessable("missing 'from' in copy operation");
                        var source = Resolve(root, from) ?? throw Unprocessable($"copy operation does not apply: doc is missing from path: {from}");
                        root = Add(root, path, source.Node?.DeepClone());
                        break;
                    }

                case "test":
                    {
                        var found = Resolve(root, path);
                        if (found is null || !JsonNode.DeepEquals(found.Value.Node, op["value"]))
                        {
                            throw Unprocessable($"testing value {path} failed: test failed");
                        }

                        break;
                    }

                default:
                    throw Unprocessable($"Unexpected kind: {kind}");
            }
        }

        return root;
    }

    private static JsonNode? Value(JsonObject op, string kind) =>
        op.ContainsKey("value") ? op["value"] : throw Unprocessable($"missing value in {kind} operation");

    private static JsonNode? Add(JsonNode? root, string path, JsonNode? value)
    {
        if (path.Length == 0)
        {
            return value;
        }

        var (parent, token) = Parent(root, path, "add");
        switch (parent)
        {
            case JsonObject o:
                o[token] = value;
                break;
            case JsonArray a:
                if (token == "-")
                {
                    a.Add(value);
                }
                else if (int.TryParse(token, NumberStyles.None, CultureInfo.InvariantCulture, out var i) && i <= a.Count)
                {
                    a.Insert(i, value);
                }
                else
                {
                    throw Unprocessable($"add operation does not apply: doc is missing path: \"{path}\": invalid index");
                }

                break;
            default:
                throw Unprocessable($"add operation does not apply: doc is missing path: \"{path}\": missing value");
        }

        return root;
    }

    private static JsonNode? Remove(JsonNode? root, string path, out JsonNode? removed, string? missingMessage = null)
    {
        var (parent, token) = Parent(root, path, "remove");
        missingMessage ??= $"remove operation does not apply: doc is missing path: \"{path}\": missing value";
        switch (parent)
        {
            case JsonObject o when o.ContainsKey(token):
                removed = o[token];
                o.Remove(token);
                return root;
            case JsonArray a when int.TryParse(token, NumberStyles.None, CultureInfo.InvariantCulture, out var i) && i < a.Count:
                removed = a[i];
                a.RemoveAt(i);
                return root;
            default:
                throw Unprocessable(missingMessage);
        }
    }

    private static (JsonNode? Parent, string Token) Parent(JsonNode? root, string path, string op)
    {
        var tokens = Tokens(path);
        var current = root;
        for (var i = 0; i < tokens.Count - 1; i++)
        {
            current = Step(current, tokens[i]) ?? throw Unprocessable($"{op} operation does not apply: doc is missing path: \"{path}\": missing value");
        }

        return (current, tokens[^1]);
    }

    private static (JsonNode? Node, bool Found)? Resolve(JsonNode? root, string path)
    {
        if (path.Length == 0)
        {
            return (root, true);
        }

        var tokens = Tokens(path);
        var current = root;
        for (var i = 0; i < tokens.Count; i++)
        {
            switch (current)
            {
                case JsonObject o when o.ContainsKey(tokens[i]):
                    current = o[tokens[i]];
                    break;
                case JsonArray a when int.TryParse(tokens[i], NumberStyles.None, CultureInfo.InvariantCulture, out var idx) && idx < a.Count:
                    current = a[idx];
                    break;
                default:
                    return null;
            }
        }

        return (current, true);
    }

    private static JsonNode? Step(JsonNode? node, string token) => node switch
    {
        JsonObject o => o[token],
        JsonArray a when int.TryParse(token, NumberStyles.None, CultureInfo.InvariantCulture, out var i) && i < a.Count => a[i],
        _ => null,
    };

    private static List<string> Tokens(string path)
    {
        if (!path.StartsWith('/'))
        {
            throw Unprocessable($"JSON pointer must be empty or start with a \"/\": {path}");
        }

        return path[1..].Split('/').Select(t => t.Replace("~1", "/", StringComparison.Ordinal).Replace("~0", "~", StringComparison.Ordinal)).ToList();
    }

    private static ApiException Unprocessable(string message) => new(422, "Invalid", message);
}
