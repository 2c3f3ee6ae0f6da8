using System.Text.Json;
using Csi.Common.Files;
using Csi.ProviderHost;
using Csi.ProviderHost.Yaml;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Csi.Providers.Vault;

/// <summary>
/// Parses the "objects" parameter: a YAML list (no "array:" wrapper) of objectName, secretPath, secretKey,
/// method, secretArgs, encoding and filePermission. Scalars resolve as gopkg.in/yaml.v3 resolves them, so a
/// class that works upstream reads the same here.
/// </summary>
internal static class VaultObjectsParser
{
    public const string Parameter = "objects";

    private static readonly string[] KnownKeys = ["objectName", "secretPath", "secretKey", "method", "secretArgs", "encoding", "filePermission"];

    /// <summary>Parses and checks the objects; <paramref name="ignoredKey"/> hears of keys upstream ignores too.</summary>
    public static IReadOnlyList<VaultObject> Parse(string? yaml, Action<string, string>? ignoredKey = null)
    {
        if (string.IsNullOrWhiteSpace(yaml))
        {
            throw NoObjects();
        }

        YamlNode? root;
        try
        {
            root = GoYaml.LoadFirstDocument(yaml);
        }
        catch (YamlSyntaxException e)
        {
            throw ProviderException.InvalidParameter(
                $"{Parameter}: not valid YAML {e.Where}; it must be a YAML list of objects, each with objectName and secretPath");
        }

        if (root is null || GoYaml.IsNull(root))
        {
            throw NoObjects();
        }
        if (root is not YamlSequenceNode list)
        {
            var hint = root is YamlMappingNode map && map.Children.ContainsKey(new YamlScalarNode("array"))
                ? "; the Vault provider takes the list itself, without the \"array:\" wrapper other providers use"
                : string.Empty;
            throw ProviderException.InvalidParameter($"{Parameter}: must be a YAML list (\"- objectName: ...\"), not a {GoYaml.Kind(root)}{hint}");
        }
        if (list.Children.Count == 0)
        {
            throw NoObjects();
        }

        var objects = new List<VaultObject>(list.Children.Count);
        for (var index = 0; index < list.Children.Count; index++)
        {
            objects.Add(ParseObject(list.Children[index], index, ignoredKey));
        }

        var duplicates = objects.GroupBy(o => o.ObjectName, StringComparer.Ordinal).Where(g => g.Count() > 1).Select(g => g.Key).ToList();
        if (duplicates.Count > 0)
        {
            // Upstream's message, then the fix.
            throw ProviderException.InvalidParameter(
                "each `objectName` within a SecretProviderClass must be unique, but the following keys were duplicated: "
                + string.Join(", ", duplicates) + "; give each object its own objectName (it is the file name)");
        }
        return objects;
    }

    private static VaultObject ParseObject(YamlNode node, int index, Action<string, string>? ignoredKey)
    {
        var at = $"{Parameter}[{index}]";
        if (node is not YamlMappingNode map)
        {
            throw ProviderException.InvalidParameter($"{at}: must be a mapping with objectName, secretPath and optionally secretKey, method, secretArgs, encoding, filePermission; found a {GoYaml.Kind(node)}");
        }

        var fields = new Dictionary<string, YamlNode>(StringComparer.Ordinal);
        foreach (var (keyNode, value) in map.Children)
        {
            var key = keyNode is YamlScalarNode { Value: { } k } ? k : string.Empty;
            if (KnownKeys.Contains(key, StringComparer.Ordinal))
            {
                fields[key] = value;
            }
            else
            {
                ignoredKey?.Invoke(at, key);
            }
        }

        var objectName = Text(fields, "objectName", at);
        if (objectName.Length == 0)
        {
            throw ProviderException.InvalidParameter($"{at}: objectName is missing; it names the file the secret is written to, e.g. objectName: db-password");
        }
        at = $"object \"{objectName}\"";
        var pathProblem = FilePathRules.CheckPath(objectName);
        if (pathProblem is not null)
        {
            throw ProviderException.InvalidParameter($"{at}: objectName is the file name in the volume and {pathProblem}; use a relative path such as db/password");
        }

        var secretPath = Text(fields, "secretPath", at);
        if (secretPath.Length == 0)
        {
            throw ProviderException.InvalidParameter($"{at}: secretPath is missing; set it to the Vault path to read, e.g. secret/data/app (KV v2) or database/creds/app");
        }

        var secretKey = Text(fields, "secretKey", at);
        var method = Text(fields, "method", at);
        var encoding = Text(fields, "encoding", at);
        if (encoding.Length > 0 && !VaultSecretContent.IsSupportedEncoding(encoding))
        {
            throw ProviderException.InvalidParameter($"{at}: encoding \"{encoding}\": invalid encoding type. Should be utf-8, base64, or hex");
        }

        var filePermission = FilePermission(fields, at);
        var secretArgs = SecretArgs(fields, at);
        var request = VaultRequest.Create(secretPath, method, secretArgs, out var problem)
            ?? throw ProviderException.InvalidParameter(method.Length > 0 && problem!.StartsWith("method", StringComparison.Ordinal)
                ? $"{at}: {problem}"
                : $"{at}: failed to parse query parameters from secretPath \"{secretPath}\": {problem}; escape '%' as %25 and separate parameters with '&'");

        return new VaultObject(objectName, secretPath, secretKey.Length == 0 ? null : secretKey, method, secretArgs, encoding, filePermission, request);
    }

    private static string Text(Dictionary<string, YamlNode> fields, string key, string at)
    {
        if (!fields.TryGetValue(key, out var node) || GoYaml.IsNull(node))
        {
            return string.Empty;
        }
        return node is YamlScalarNode scalar
            ? scalar.Value ?? string.Empty
            : throw ProviderException.InvalidParameter($"{at}: {key} must be a single value, not a {GoYaml.Kind(node)}");
    }

    private static int? FilePermission(Dictionary<string, YamlNode> fields, string at)
    {
        if (!fields.TryGetValue("filePermission", out var node) || GoYaml.IsNull(node))
        {
            return null;
        }
        const string Fix = "write the mode as an unquoted octal number, e.g. filePermission: 0640";
        if (node is not YamlScalarNode { Value: { } text } scalar || scalar.Style is ScalarStyle.SingleQuoted or ScalarStyle.DoubleQuoted or ScalarStyle.Literal or ScalarStyle.Folded)
        {
            throw ProviderException.InvalidParameter($"{at}: filePermission must be an integer file mode; {Fix}");
        }
        if (!GoYaml.TryParseInt(text.Replace("_", string.Empty, StringComparison.Ordinal), out var mode))
        {
            throw ProviderException.InvalidParameter($"{at}: filePermission \"{text}\" is not an integer; {Fix}");
        }
        if (mode is < 0 or > FilePathRules.MaxMode)
        {
            throw ProviderException.InvalidParameter($"{at}: filePermission {text} is outside 0 to 0777; {Fix}");
        }
        // Zero is Go's zero value: the object takes the mount's default.
        return mode == 0 ? null : (int)mode;
    }

    private static byte[]? SecretArgs(Dictionary<string, YamlNode> fields, string at)
    {
        if (!fields.TryGetValue("secretArgs", out var node) || GoYaml.IsNull(node))
        {
            return null;
        }
        if (node is not YamlMappingNode)
        {
            throw ProviderException.InvalidParameter($"{at}: secretArgs must be a mapping of request parameters (sent as the JSON body), e.g. secretArgs: {{common_name: web.example.com}}; found a {GoYaml.Kind(node)}");
        }
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            GoYaml.WriteJson(writer, node, $"{at}: secretArgs");
        }
        return buffer.ToArray();
    }

    private static ProviderException NoObjects() => ProviderException.InvalidParameter(
        $"{Parameter}: no secrets configured - the provider will not read any secret material; list them in parameters.objects, e.g. \"- objectName: db-password\\n  secretPath: secret/data/db\\n  secretKey: password\"");
}
