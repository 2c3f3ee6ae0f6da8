using System.Globalization;
using Csi.Common.Files;
using Csi.ProviderHost;
using Csi.ProviderHost.Yaml;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Csi.Providers.Azure;

/// <summary>
/// Parses the <c>objects</c> parameter as upstream does: a YAML mapping whose <c>array</c> holds YAML
/// <em>strings</em>, each of which is parsed again as one object mapping. Fields are trimmed, unknown keys are
/// ignored, and every error names the object and the field.
/// </summary>
internal static class KeyVaultObjectsParser
{
    public const string Parameter = "objects";

    private const string Example = "objects: |\n  array:\n    - |\n      objectName: db-password\n      objectType: secret";

    private static readonly string[] StringFields =
        ["objectName", "objectAlias", "objectVersion", "objectType", "objectFormat", "objectEncoding", "filePermission"];

    /// <summary>Parses and checks every object; an empty or missing <c>array</c> gives no objects.</summary>
    public static IReadOnlyList<KeyVaultObject> Parse(string yaml)
    {
        var root = Load(yaml, Parameter);
        if (root is null || GoYaml.IsNull(root))
        {
            return [];
        }

        if (root is not YamlMappingNode map)
        {
            var hint = root is YamlSequenceNode ? "; put the list under \"array:\"" : string.Empty;
            throw ProviderException.InvalidParameter($"{Parameter}: must be a YAML mapping with an \"array\" of object strings, not a {GoYaml.Kind(root)}{hint}, e.g. {Example}");
        }

        if (!map.Children.TryGetValue(new YamlScalarNode("array"), out var arrayNode) || GoYaml.IsNull(arrayNode))
        {
            return [];
        }

        if (arrayNode is not YamlSequenceNode array)
        {
            throw ProviderException.InvalidParameter($"{Parameter}: array must be a list of YAML strings (\"- |\" blocks), not a {GoYaml.Kind(arrayNode)}");
        }

        var objects = new List<KeyVaultObject>(array.Children.Count);
        for (var index = 0; index < array.Children.Count; index++)
        {
            objects.Add(ParseObject(array.Children[index], index));
        }

        return objects;
    }

    private static KeyVaultObject ParseObject(YamlNode item, int index)
    {
        var at = $"{Parameter}.array[{index}]";
        if (item is not YamlScalarNode scalar)
        {
            throw ProviderException.InvalidParameter(
                $"{at}: each entry must be a YAML string holding one object (write \"- |\" and indent the object below it), not a {GoYaml.Kind(item)}");
        }

        var root = GoYaml.IsNull(scalar) ? null : Load(scalar.Value ?? string.Empty, at);
        var fields = new Dictionary<string, string>(StringComparer.Ordinal);
        var history = 0;
        if (root is not null && !GoYaml.IsNull(root))
        {
            if (root is not YamlMappingNode map)
            {
                throw ProviderException.InvalidParameter($"{at}: must be a mapping of objectName, objectType and optional fields, not a {GoYaml.Kind(root)}");
            }

            foreach (var (keyNode, value) in map.Children)
            {
                var key = keyNode is YamlScalarNode { Value: { } k } ? k : string.Empty;
                if (key == "objectVersionHistory")
                {
                    history = VersionHistory(value, at);
                }
                else if (StringFields.Contains(key, StringComparer.Ordinal))
                {
                    fields[key] = Text(value, at, key).Trim();
                }
            }
        }

        var name = fields.GetValueOrDefault("objectName", string.Empty);
        var typeName = fields.GetValueOrDefault("objectType", string.Empty);
        var version = fields.GetValueOrDefault("objectVersion", string.Empty);
        var alias = fields.GetValueOrDefault("objectAlias", string.Empty);
        var format = fields.GetValueOrDefault("objectFormat", string.Empty);
        var encoding = fields.GetValueOrDefault("objectEncoding", string.Empty);
        var permission = fields.GetValueOrDefault("filePermission", string.Empty);

        if (name.Length == 0)
        {
            throw ProviderException.InvalidParameter($"{at}: objectName is not set; it names the secret, key or certificate in the vault");
        }

        at = $"{at} (objectName \"{name}\", objectType \"{typeName}\")";
        KeyVaultObjectType type = typeName switch
        {
            "secret" => KeyVaultObjectType.Secret,
            "key" => KeyVaultObjectType.Key,
            "cert" => KeyVaultObjectType.Certificate,
            _ => throw ProviderException.InvalidParameter($"{at}: objectType: Invalid vaultObjectTypes. Should be secret, key, or cert"),
        };

        if (format.Length > 0)
        {
            if (!format.Equals("pem", StringComparison.OrdinalIgnoreCase) && !format.Equals("pfx", StringComparison.OrdinalIgnoreCase))
            {
                throw ProviderException.InvalidParameter($"{at}: objectFormat: invalid objectFormat: {format}, should be PEM or PFX");
            }

            // Upstream compares the lower-case spelling here only; "PFX" on a key or cert is ignored, as there.
            if (format == "pfx" && type != KeyVaultObjectType.Secret)
            {
                throw ProviderException.InvalidParameter($"{at}: objectFormat: PFX format only supported for objectType: secret");
            }
        }

        if (encoding.Length > 0)
        {
            if (type != KeyVaultObjectType.Secret)
            {
                throw ProviderException.InvalidParameter($"{at}: objectEncoding: objectEncoding only supported for objectType: secret");
            }

            if (!encoding.Equals("utf-8", StringComparison.OrdinalIgnoreCase) && !encoding.Equals("base64", StringComparison.OrdinalIgnoreCase) && !encoding.Equals("hex", StringComparison.OrdinalIgnoreCase))
            {
                throw ProviderException.InvalidParameter($"{at}: objectEncoding: invalid objectEncoding: {encoding}, should be hex, base64 or utf-8");
            }
        }

        var fileName = alias.Length > 0 ? alias : name;
        var field = alias.Length > 0 ? "objectAlias" : "objectName";
        var fileProblem = FileNameProblem(fileName);
        if (fileProblem is not null)
        {
            throw ProviderException.InvalidParameter($"{at}: {field}: {fileProblem}");
        }

        int? mode = null;
        if (permission.Length > 0)
        {
            mode = FileMode(permission)
                ?? throw ProviderException.InvalidParameter($"{at}: filePermission: file permission must be a valid octal number between 0 and 0777 (e.g. \"0644\"), not \"{permission}\"");
        }

        return new KeyVaultObject(
            name,
            type,
            typeName,
            version.Length == 0 || version.Equals("latest", StringComparison.OrdinalIgnoreCase) ? null : version,
            history,
            alias,
            format.Equals("pfx", StringComparison.OrdinalIgnoreCase) && type == KeyVaultObjectType.Secret,
            encoding.ToLowerInvariant(),
            mode);
    }

    /// <summary>Upstream's checks (empty, absolute, any "..") first, then the host's rules for what it can write.</summary>
    private static string? FileNameProblem(string fileName)
    {
        if (fileName.Length == 0)
        {
            return "file name must not be empty";
        }

        if (fileName[0] == '/')
        {
            return "file name must be a relative path";
        }

        if (fileName.Contains("..", StringComparison.Ordinal))
        {
            return "file name must not contain '..'";
        }

        var problem = FilePathRules.CheckPath(fileName);
        return problem is null ? null : $"file name is not usable: {problem}";
    }

    /// <summary>Go's strconv.ParseInt(text, 8, 32), limited to file modes.</summary>
    private static int? FileMode(string text)
    {
        var digits = text.StartsWith('+') ? text[1..] : text;
        if (digits.Length == 0 || digits.Length > 11 || digits.Any(c => c is < '0' or > '7'))
        {
            return null;
        }

        var value = Convert.ToInt64(digits, 8);
        return value <= FilePathRules.MaxMode ? (int)value : null;
    }

    private static int VersionHistory(YamlNode node, string at)
    {
        if (GoYaml.IsNull(node))
        {
            return 0;
        }

        if (node is not YamlScalarNode { Value: { } text } scalar || scalar.Style is not ScalarStyle.Plain)
        {
            throw ProviderException.InvalidParameter($"{at}: objectVersionHistory must be an unquoted integer (the number of versions to write), e.g. objectVersionHistory: 5");
        }

        var body = text.Replace("_", string.Empty, StringComparison.Ordinal);
        var negative = body.StartsWith('-');
        if (body.StartsWith('-') || body.StartsWith('+'))
        {
            body = body[1..];
        }

        long value;
        var ok = body.StartsWith("0x", StringComparison.OrdinalIgnoreCase)
            ? long.TryParse(body[2..], NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out value)
            : long.TryParse(body, NumberStyles.None, CultureInfo.InvariantCulture, out value);
        value = negative ? -value : value;
        if (!ok || value is < int.MinValue or > int.MaxValue)
        {
            throw ProviderException.InvalidParameter($"{at}: objectVersionHistory \"{text}\" is not a 32-bit integer; e.g. objectVersionHistory: 5");
        }

        return (int)value;
    }

    private static string Text(YamlNode node, string at, string key) => node switch
    {
        _ when GoYaml.IsNull(node) => string.Empty,
        YamlScalarNode scalar => scalar.Value ?? string.Empty,
        _ => throw ProviderException.InvalidParameter($"{at}: {key} must be a single value, not a {GoYaml.Kind(node)}"),
    };

    private static YamlNode? Load(string yaml, string at)
    {
        try
        {
            return GoYaml.LoadFirstDocument(yaml);
        }
        catch (YamlSyntaxException e)
        {
            throw ProviderException.InvalidParameter($"{at}: failed to yaml unmarshal: not valid YAML {e.Where}; expected e.g. {Example}");
        }
    }
}
