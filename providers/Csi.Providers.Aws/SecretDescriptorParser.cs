using System.Text.RegularExpressions;
using Csi.Common.Files;
using Csi.ProviderHost;
using Csi.ProviderHost.Yaml;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Csi.Providers.Aws;

/// <summary>
/// Reads <c>objects</c> as upstream ASCP does (a YAML list of mappings, keys matched case-insensitively as Go's
/// JSON decoding does, scalars taken as strings) and checks each entry in upstream's order with upstream's
/// wording, then the fix. Every error is InvalidArgument and names the object by index and name and the field.
/// </summary>
internal static partial class SecretDescriptorParser
{
    public const string Parameter = "objects";

    private const string Example = "objects: |\n  - objectName: \"MySecret\"\n    objectType: \"secretsmanager\"";

    private static readonly string[] ObjectFields =
        ["objectName", "objectAlias", "objectVersion", "objectVersionLabel", "objectType", "filePermission", "jmesPath", "failoverObject"];

    private static readonly string[] JmesFields = ["path", "objectAlias", "filePermission"];

    private static readonly string[] FailoverFields = ["objectName", "objectVersion", "objectVersionLabel"];

    /// <summary>
    /// Parses and checks every entry. <paramref name="regions"/> holds the primary region and, when set, the
    /// failover region; ARNs are checked against them.
    /// </summary>
    public static IReadOnlyList<SecretDescriptor> Parse(string? yaml, PathTranslation translation, IReadOnlyList<string> regions)
    {
        ArgumentNullException.ThrowIfNull(translation);
        ArgumentNullException.ThrowIfNull(regions);
        if (regions.Count == 0)
        {
            throw new ArgumentException("at least the primary region is needed", nameof(regions));
        }

        var root = Load(yaml ?? string.Empty);
        if (root is null || GoYaml.IsNull(root))
        {
            return [];
        }
        if (root is not YamlSequenceNode list)
        {
            throw ProviderException.InvalidParameter(
                $"{Parameter}: Failed to load SecretProviderClass: must be a YAML list of objects, not a {GoYaml.Kind(root)}; e.g. {Example}");
        }

        var descriptors = new List<SecretDescriptor>(list.Children.Count);
        var seenNames = new Dictionary<string, (string Alias, string Label)>(StringComparer.Ordinal);
        var seenAliases = new HashSet<string>(StringComparer.Ordinal);
        var seenFiles = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var index = 0; index < list.Children.Count; index++)
        {
            var descriptor = ParseOne(list.Children[index], index, translation, regions);
            CheckDuplicates(descriptor, seenNames, seenAliases, seenFiles);
            descriptors.Add(descriptor);
        }
        return descriptors;
    }

    private static SecretDescriptor ParseOne(YamlNode node, int index, PathTranslation translation, IReadOnlyList<string> regions)
    {
        var at = $"{Parameter}[{index}]";
        if (GoYaml.IsNull(node))
        {
            throw ProviderException.InvalidParameter($"{at}: Empty descriptor entry in SecretProviderClass; remove the empty \"-\" line or give it an objectName");
        }
        if (node is not YamlMappingNode map)
        {
            throw ProviderException.InvalidParameter(
                $"{at}: Failed to load SecretProviderClass: each entry must be a mapping with objectName, objectType and optional fields, not a {GoYaml.Kind(node)}; e.g. {Example}");
        }

        var fields = Fields(map, ObjectFields, at);
        var name = Text(fields, "objectName", at);
        if (name.Length == 0)
        {
            throw ProviderException.InvalidParameter($"{at}: objectName: Object name must be specified; set it to the secret's or parameter's name or ARN");
        }
        at = $"{at} (objectName \"{name}\")";

        var typeText = Text(fields, "objectType", at);
        var alias = Text(fields, "objectAlias", at);
        var version = Text(fields, "objectVersion", at);
        var label = Text(fields, "objectVersionLabel", at);
        var permission = Text(fields, "filePermission", at);

        var type = CheckObjectName(name, typeText, regions[0], at, "objectName");
        if (type == AwsObjectType.SsmParameter && version.Length > 0 && label.Length > 0)
        {
            throw ProviderException.InvalidParameter(
                $"{at}: objectVersionLabel: ssm parameters can not specify both objectVersion and objectVersionLabel: {name}; keep one of them");
        }

        var fileName = translation.Apply(alias.Length > 0 ? alias : name);
        CheckFileName(fileName, name, at, alias.Length > 0 ? "objectAlias" : "objectName");
        var mode = Permission(permission, at, "filePermission", fields.GetValueOrDefault("filePermission"));

        var jmes = JmesEntries(fields.GetValueOrDefault("jmesPath"), translation, at);
        var failover = Failover(fields.GetValueOrDefault("failoverObject"), at);
        if (failover is { ObjectName.Length: > 0 })
        {
            if (alias.Length == 0)
            {
                throw ProviderException.InvalidParameter(
                    $"{at}: objectAlias: object alias must be specified for objects with failover entries: {name}; set objectAlias so both regions write the same file");
            }
            if (regions.Count < 2)
            {
                throw ProviderException.InvalidParameter(
                    $"{at}: failoverObject: failover object allowed only when failover region is defined: {name}; set the failoverRegion parameter or remove failoverObject");
            }
            CheckObjectName(failover.ObjectName, typeText, regions[1], at, "failoverObject.objectName");
            if (type == AwsObjectType.SsmParameter && failover.ObjectVersion.Length > 0 && failover.ObjectVersionLabel.Length > 0)
            {
                throw ProviderException.InvalidParameter(
                    $"{at}: failoverObject.objectVersionLabel: ssm parameters can not specify both objectVersion and objectVersionLabel: {name}; keep one of them");
            }
            if (failover.ObjectVersion != version)
            {
                throw ProviderException.InvalidParameter(
                    $"{at}: failoverObject.objectVersion: object versions must match between primary and failover regions: {name}; give failoverObject the same objectVersion as the object, or none in both");
            }
        }

        return new SecretDescriptor
        {
            Index = index,
            ObjectName = name,
            Type = type,
            ObjectAlias = alias,
            ObjectVersion = version,
            ObjectVersionLabel = label,
            FileName = fileName,
            Mode = mode,
            JmesPath = jmes,
            Failover = failover,
        };
    }

    /// <summary>upstream's validateObjectName: the ARN's shape and region, then objectType against the ARN.</summary>
    private static AwsObjectType CheckObjectName(string name, string typeText, string region, string at, string field)
    {
        AwsArn? arn = null;
        if (AwsArn.LooksLikeArn(name))
        {
            arn = AwsArn.TryParse(name) ?? throw ProviderException.InvalidParameter(
                $"{at}: {field}: Invalid ARN format in object name: {name}; an ARN reads arn:aws:secretsmanager:<region>:<account>:secret:<name>");
            if (arn.Region != region)
            {
                throw ProviderException.InvalidParameter(
                    $"{at}: {field}: ARN region must match region {region}: {name}; use an ARN from {region} or set the region parameter to \"{arn.Region}\"");
            }
        }

        if (typeText.Length == 0)
        {
            if (arn is null)
            {
                throw ProviderException.InvalidParameter(
                    $"{at}: objectType: Must use objectType when a full ARN is not specified: {name}; set objectType to secretsmanager or ssmparameter");
            }
            return ServiceType(arn.Service) ?? throw ProviderException.InvalidParameter(
                $"{at}: {field}: Invalid service in ARN: {arn.Service}; only secretsmanager and ssm ARNs can be mounted");
        }

        var type = typeText switch
        {
            "secretsmanager" => AwsObjectType.SecretsManager,
            "ssmparameter" => AwsObjectType.SsmParameter,
            _ => throw ProviderException.InvalidParameter(
                $"{at}: objectType: Invalid objectType: {typeText}; use secretsmanager or ssmparameter"),
        };
        if (arn is not null && ServiceType(arn.Service) != type)
        {
            throw ProviderException.InvalidParameter(
                $"{at}: objectType: objectType does not match ARN: {name}; the ARN is a {arn.Service} ARN, remove objectType or make it match");
        }
        return type;
    }

    private static AwsObjectType? ServiceType(string service) => service switch
    {
        "secretsmanager" => AwsObjectType.SecretsManager,
        "ssmparameter" or "ssm" => AwsObjectType.SsmParameter,
        _ => null,
    };

    private static void CheckFileName(string fileName, string name, string at, string field)
    {
        if (BadPath().IsMatch(fileName))
        {
            throw ProviderException.InvalidParameter(
                $"{at}: {field}: path can not contain ../: {name}; choose an objectAlias inside the mount, or keep pathTranslation on");
        }
        var problem = FilePathRules.CheckPath(fileName);
        if (problem is not null)
        {
            throw ProviderException.InvalidParameter($"{at}: {field}: file name \"{fileName}\" cannot be written: {problem}; set objectAlias to a relative file name");
        }
    }

    private static int? Permission(string text, string at, string field, YamlNode? node)
    {
        if (text.Length == 0)
        {
            return null;
        }
        if (!FilePermissionPattern().IsMatch(text))
        {
            var hint = node is YamlScalarNode { Style: ScalarStyle.Plain, Value: { } raw } && raw != text
                ? $" (unquoted, YAML read {raw} as the number {text}; quote it: \"{raw}\")"
                : string.Empty;
            throw ProviderException.InvalidParameter(
                $"{at}: {field}: Invalid File Permission: {text}{hint}; use four octal digits in quotes, e.g. \"0600\"");
        }
        var mode = Convert.ToInt32(text, 8);
        if (mode > FilePathRules.MaxMode)
        {
            throw ProviderException.InvalidParameter(
                $"{at}: {field}: Invalid File Permission: {text}; setuid, setgid and sticky bits are not written, use at most \"0777\"");
        }
        return mode;
    }

    private static List<JmesPathEntry> JmesEntries(YamlNode? node, PathTranslation translation, string at)
    {
        if (node is null || GoYaml.IsNull(node))
        {
            return [];
        }
        if (node is not YamlSequenceNode list)
        {
            throw ProviderException.InvalidParameter(
                $"{at}: jmesPath: Failed to load SecretProviderClass: jmesPath must be a list of {{path, objectAlias}} entries, not a {GoYaml.Kind(node)}");
        }
        var entries = new List<JmesPathEntry>(list.Children.Count);
        for (var i = 0; i < list.Children.Count; i++)
        {
            var entryAt = $"{at}: jmesPath[{i}]";
            if (GoYaml.IsNull(list.Children[i]))
            {
                throw ProviderException.InvalidParameter($"{entryAt}: path: Path must be specified for JMES object; give each entry a path and an objectAlias");
            }
            if (list.Children[i] is not YamlMappingNode map)
            {
                throw ProviderException.InvalidParameter(
                    $"{entryAt}: Failed to load SecretProviderClass: each jmesPath entry must be a mapping with path and objectAlias, not a {GoYaml.Kind(list.Children[i])}");
            }
            var fields = Fields(map, JmesFields, entryAt);
            var path = Text(fields, "path", entryAt);
            var alias = Text(fields, "objectAlias", entryAt);
            var permission = Text(fields, "filePermission", entryAt);
            if (path.Length == 0)
            {
                throw ProviderException.InvalidParameter($"{entryAt}: path: Path must be specified for JMES object; e.g. path: username");
            }
            if (alias.Length == 0)
            {
                throw ProviderException.InvalidParameter($"{entryAt}: objectAlias: Object alias must be specified for JMES object; it names the file the value goes to");
            }
            var mode = Permission(permission, entryAt, "filePermission", fields.GetValueOrDefault("filePermission"));
            var fileName = translation.Apply(alias);
            CheckFileName(fileName, alias, entryAt, "objectAlias");
            entries.Add(new JmesPathEntry(path, alias, permission) { FileName = fileName, Mode = mode });
        }
        return entries;
    }

    private static FailoverObject? Failover(YamlNode? node, string at)
    {
        if (node is null || GoYaml.IsNull(node))
        {
            return null;
        }
        if (node is not YamlMappingNode map)
        {
            throw ProviderException.InvalidParameter(
                $"{at}: failoverObject: Failed to load SecretProviderClass: failoverObject must be a mapping with objectName and optional objectVersion/objectVersionLabel, not a {GoYaml.Kind(node)}");
        }
        var fields = Fields(map, FailoverFields, $"{at}: failoverObject");
        return new FailoverObject(
            Text(fields, "objectName", at + ": failoverObject"),
            Text(fields, "objectVersion", at + ": failoverObject"),
            Text(fields, "objectVersionLabel", at + ": failoverObject"));
    }

    private static void CheckDuplicates(
        SecretDescriptor d,
        Dictionary<string, (string Alias, string Label)> seenNames,
        HashSet<string> seenAliases,
        Dictionary<string, string> seenFiles)
    {
        var at = d.Label;
        if (seenNames.TryGetValue(d.ObjectName, out var found))
        {
            var prefix = $"found descriptor with duplicate object name {d.ObjectName}";
            const string fix = "give each entry of the same object a distinct objectAlias";
            var hasAlias = d.ObjectAlias.Length > 0;
            var foundAlias = found.Alias.Length > 0;
            var hasLabel = d.ObjectVersionLabel.Length > 0;
            var foundLabel = found.Label.Length > 0;
            string? problem = null;
            if (hasAlias && foundAlias && !hasLabel && !foundLabel && d.ObjectAlias == found.Alias)
            {
                problem = $"{prefix}, duplicate object alias {d.ObjectAlias}, and no version label";
            }
            else if (!hasAlias && !foundAlias && hasLabel && foundLabel && d.ObjectVersionLabel == found.Label)
            {
                problem = $"{prefix}, no object alias, and duplicate version label {d.ObjectVersionLabel}";
            }
            else if (hasAlias && foundAlias && hasLabel && foundLabel && d.ObjectAlias == found.Alias && d.ObjectVersionLabel == found.Label)
            {
                problem = $"{prefix}, duplicate object alias {d.ObjectAlias}, and duplicate version label {d.ObjectVersionLabel}";
            }
            else if (!hasAlias && !foundAlias && !hasLabel && !foundLabel)
            {
                problem = $"{prefix}, no object alias, and no version label";
            }
            if (problem is not null)
            {
                throw ProviderException.InvalidParameter($"{at}: objectName: {problem}; {fix}");
            }
        }
        seenNames[d.ObjectName] = (d.ObjectAlias, d.ObjectVersionLabel);

        if (d.ObjectAlias.Length > 0 && !seenAliases.Add(d.ObjectAlias))
        {
            throw ProviderException.InvalidParameter($"{at}: objectAlias: found duplicate object alias {d.ObjectAlias}; each objectAlias must be unique");
        }
        foreach (var entry in d.JmesPath)
        {
            if (!seenAliases.Add(entry.ObjectAlias))
            {
                throw ProviderException.InvalidParameter(
                    $"{at}: jmesPath objectAlias: Name already in use for objectAlias: found duplicate object alias {entry.ObjectAlias} in JMES path entry {entry.Path}; each objectAlias must be unique");
            }
        }

        // Upstream stops at aliases; two names that translate to one file would overwrite each other.
        foreach (var (file, field) in new[] { (d.FileName, "file") }.Concat(d.JmesPath.Select(j => (j.FileName, "jmesPath file"))))
        {
            if (seenFiles.TryGetValue(file, out var owner))
            {
                throw ProviderException.InvalidParameter($"{at}: {field} \"{file}\" is also written by {owner}; give one of them a distinct objectAlias");
            }
            seenFiles[file] = at;
        }
    }

    /// <summary>The mapping's known keys, matched exactly first and then ignoring case, as Go's JSON decoding does.</summary>
    private static Dictionary<string, YamlNode> Fields(YamlMappingNode map, string[] known, string at)
    {
        var fields = new Dictionary<string, YamlNode>(StringComparer.Ordinal);
        var exact = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (keyNode, value) in map.Children)
        {
            if (keyNode is not YamlScalarNode { Value: { } key })
            {
                throw ProviderException.InvalidParameter($"{at}: Failed to load SecretProviderClass: keys must be single words, not a {GoYaml.Kind(keyNode)}");
            }
            var field = known.FirstOrDefault(k => k == key) ?? known.FirstOrDefault(k => k.Equals(key, StringComparison.OrdinalIgnoreCase));
            if (field is null || (exact.Contains(field) && field != key))
            {
                continue;
            }
            if (field == key)
            {
                exact.Add(field);
            }
            fields[field] = value;
        }
        return fields;
    }

    private static string Text(Dictionary<string, YamlNode> fields, string field, string at)
    {
        if (!fields.TryGetValue(field, out var node) || GoYaml.IsNull(node))
        {
            return string.Empty;
        }
        if (node is not YamlScalarNode scalar)
        {
            throw ProviderException.InvalidParameter(
                $"{at}: {field}: Failed to load SecretProviderClass: {field} must be a single value, not a {GoYaml.Kind(node)}");
        }
        return GoYaml.ToGoString(scalar);
    }

    private static YamlNode? Load(string yaml)
    {
        try
        {
            return GoYaml.LoadFirstDocument(yaml);
        }
        catch (YamlSyntaxException e)
        {
            throw ProviderException.InvalidParameter(
                $"{Parameter}: Failed to load SecretProviderClass: not valid YAML {e.Where}; expected e.g. {Example}");
        }
    }

    [GeneratedRegex(@"(/\.\./)|(^\.\./)|(/\.\.$)", RegexOptions.CultureInvariant)]
    private static partial Regex BadPath();

    [GeneratedRegex("^[0-7]{4}$", RegexOptions.CultureInvariant)]
    private static partial Regex FilePermissionPattern();
}
