using System.Text.RegularExpressions;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace SecretsStore.Driver.SecretProviderClasses;

/// <summary>
/// Reads SecretProviderClass manifests (YAML or JSON, several documents per file) as kubectl would accept
/// them: apiVersion secrets-store.csi.x-k8s.io/v1 or /v1alpha1, kind SecretProviderClass, string-valued
/// parameters. Errors name the document and the field.
/// </summary>
public static partial class SecretProviderClassManifest
{
    public const string Group = "secrets-store.csi.x-k8s.io";
    public const string DefaultNamespace = "default";

    private static readonly string[] ApiVersions = [Group + "/v1", Group + "/v1alpha1"];

    /// <summary>Parses every document of a file; any invalid document makes the whole file invalid.</summary>
    public static IReadOnlyList<SecretProviderClass> Parse(string text)
    {
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(text));
        }
        catch (YamlException e)
        {
            throw new ManifestException($"not valid YAML at line {e.Start.Line}, column {e.Start.Column}: {e.Message}", e);
        }

        var classes = new List<SecretProviderClass>();
        for (var i = 0; i < stream.Documents.Count; i++)
        {
            var root = stream.Documents[i].RootNode;
            if (root is YamlScalarNode { Value: null or "" })
            {
                continue; // an empty document, e.g. after a trailing "---"
            }
            try
            {
                classes.Add(ParseDocument(root));
            }
            catch (ManifestException e)
            {
                throw new ManifestException(stream.Documents.Count > 1 ? $"document {i + 1}: {e.Message}" : e.Message, e);
            }
        }
        return classes;
    }

    private static SecretProviderClass ParseDocument(YamlNode root)
    {
        var document = AsMapping(root, "the document");
        var apiVersion = RequiredString(document, "apiVersion", "apiVersion");
        if (!ApiVersions.Contains(apiVersion, StringComparer.Ordinal))
        {
            throw new ManifestException($"apiVersion: \"{apiVersion}\" is not served; use {Group}/v1");
        }
        var kind = RequiredString(document, "kind", "kind");
        if (kind != "SecretProviderClass")
        {
            throw new ManifestException($"kind: \"{kind}\" is not SecretProviderClass");
        }

        var metadata = AsMapping(Child(document, "metadata") ?? throw new ManifestException("metadata: missing; set metadata.name"), "metadata");
        var name = RequiredString(metadata, "name", "metadata.name");
        if (name.Length > 253 || !DnsSubdomain().IsMatch(name))
        {
            throw new ManifestException($"metadata.name: \"{name}\" is not a valid name: use lower-case letters, digits, '-' and '.', at most 253 characters");
        }
        var ns = OptionalString(metadata, "namespace", "metadata.namespace") ?? DefaultNamespace;
        if (!DnsLabel().IsMatch(ns))
        {
            throw new ManifestException($"metadata.namespace: \"{ns}\" is not a valid namespace name");
        }

        var spec = AsMapping(Child(document, "spec") ?? throw new ManifestException("spec: missing; set spec.provider and spec.parameters"), "spec");
        var provider = OptionalString(spec, "provider", "spec.provider") ?? string.Empty;
        var parameters = StringMap(Child(spec, "parameters"), "spec.parameters");
        var secretObjects = new List<SecretObject>();
        if (Child(spec, "secretObjects") is { } objectsNode and not YamlScalarNode { Value: null or "" })
        {
            var list = objectsNode as YamlSequenceNode ?? throw new ManifestException("spec.secretObjects: must be a list");
            for (var i = 0; i < list.Children.Count; i++)
            {
                secretObjects.Add(ParseSecretObject(list.Children[i], $"spec.secretObjects[{i}]"));
            }
        }
        return new SecretProviderClass(ns, name, provider, parameters, secretObjects);
    }

    private static SecretObject ParseSecretObject(YamlNode node, string field)
    {
        var map = AsMapping(node, field);
        var data = new List<SecretObjectData>();
        if (Child(map, "data") is YamlSequenceNode dataList)
        {
            for (var i = 0; i < dataList.Children.Count; i++)
            {
                var entry = AsMapping(dataList.Children[i], $"{field}.data[{i}]");
                data.Add(new SecretObjectData(
                    OptionalString(entry, "objectName", $"{field}.data[{i}].objectName") ?? string.Empty,
                    OptionalString(entry, "key", $"{field}.data[{i}].key") ?? string.Empty));
            }
        }
        return new SecretObject(
            OptionalString(map, "secretName", $"{field}.secretName") ?? string.Empty,
            OptionalString(map, "type", $"{field}.type") ?? string.Empty,
            StringMap(Child(map, "labels"), $"{field}.labels"),
            StringMap(Child(map, "annotations"), $"{field}.annotations"),
            data);
    }

    private static YamlNode? Child(YamlMappingNode map, string key)
        => map.Children.TryGetValue(new YamlScalarNode(key), out var value) ? value : null;

    private static YamlMappingNode AsMapping(YamlNode node, string field)
        => node as YamlMappingNode ?? throw new ManifestException($"{field}: must be a mapping of keys to values");

    private static string RequiredString(YamlMappingNode map, string key, string field)
        => OptionalString(map, key, field) is { Length: > 0 } value ? value : throw new ManifestException($"{field}: missing; it is required");

    private static string? OptionalString(YamlMappingNode map, string key, string field)
    {
        var node = Child(map, key);
        return node is null ? null : ScalarString(node, field);
    }

    private static Dictionary<string, string> StringMap(YamlNode? node, string field)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        if (node is null or YamlScalarNode { Value: null or "" or "~" or "null" })
        {
            return result;
        }
        foreach (var (key, value) in AsMapping(node, field).Children)
        {
            var name = ScalarString(key, field + " key");
            result[name] = ScalarString(value, $"{field}.{name}");
        }
        return result;
    }

    /// <summary>
    /// A map[string]string value must be a string in Kubernetes; an unquoted number, boolean or null is
    /// rejected by the API server, so it is rejected here too, with the fix.
    /// </summary>
    private static string ScalarString(YamlNode node, string field)
    {
        if (node is not YamlScalarNode scalar)
        {
            throw new ManifestException($"{field}: must be a string; for structured content (such as objects) use a block string: \"{LastSegment(field)}: |\"");
        }
        var value = scalar.Value ?? string.Empty;
        if (scalar.Style == ScalarStyle.Plain && NonStringPlainScalar().IsMatch(value))
        {
            throw new ManifestException($"{field}: {value} is not a string; quote it: \"{value}\"");
        }
        return value;
    }

    private static string LastSegment(string field)
    {
        var dot = field.LastIndexOf('.');
        return dot < 0 ? field : field[(dot + 1)..];
    }

    [GeneratedRegex("^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$")]
    private static partial Regex DnsSubdomain();

    [GeneratedRegex("^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$")]
    private static partial Regex DnsLabel();

    [GeneratedRegex("^(~|null|Null|NULL|true|True|TRUE|false|False|FALSE|[-+]?[0-9][0-9_]*(\\.[0-9]*)?([eE][-+]?[0-9]+)?|0x[0-9a-fA-F]+|0o[0-7]+)$")]
    private static partial Regex NonStringPlainScalar();
}
