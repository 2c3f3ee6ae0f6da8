using Csi.Common.Flags;

namespace LocalVolume.Driver.Pools;

/// <summary>Parses one <c>--pool name=N,dir=D,size=S,layout=subvolume|image[,fstype=ext4|xfs]</c> value.</summary>
public static class PoolFlag
{
    public const string Syntax = "name=NAME,dir=DIR,size=SIZE,layout=subvolume|image[,fstype=ext4|xfs]";

    private static readonly HashSet<string> Keys = new(StringComparer.Ordinal) { "name", "dir", "size", "layout", "fstype" };

    public static PoolDefinition Parse(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var fields = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var part in value.Split(',', StringSplitOptions.TrimEntries))
        {
            var equals = part.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0)
            {
                throw Bad(value, $"\"{part}\" is not key=value");
            }
            var key = part[..equals];
            if (!Keys.Contains(key))
            {
                throw Bad(value, $"unknown key \"{key}\"");
            }
            if (!fields.TryAdd(key, part[(equals + 1)..]))
            {
                throw Bad(value, $"key \"{key}\" given twice");
            }
        }
        var name = Required(fields, "name", value);
        if (!IsPoolName(name))
        {
            throw Bad(value, $"name \"{name}\" must be 1-63 lowercase letters, digits or '-'");
        }
        var directory = Required(fields, "dir", value);
        if (!Path.IsPathFullyQualified(directory))
        {
            throw Bad(value, $"dir \"{directory}\" must be an absolute path");
        }
        if (!ByteQuantity.TryParse(Required(fields, "size", value), out var size))
        {
            throw Bad(value, $"size \"{fields["size"]}\" is not a positive size such as 10Gi, 512Mi or 1073741824");
        }
        var layout = Required(fields, "layout", value) switch
        {
            "subvolume" => PoolLayout.Subvolume,
            "image" => PoolLayout.Image,
            var other => throw Bad(value, $"layout \"{other}\" is not subvolume or image"),
        };
        var fileSystem = fields.GetValueOrDefault("fstype", "ext4");
        if (!FileSystems.IsSupported(fileSystem))
        {
            throw Bad(value, $"fstype \"{fileSystem}\" is not one of {string.Join(", ", FileSystems.Supported)}");
        }
        if (layout == PoolLayout.Subvolume && fields.ContainsKey("fstype"))
        {
            throw Bad(value, "fstype applies to the image layout only (subvolumes live on the pool's btrfs)");
        }
        return new PoolDefinition(name, Path.TrimEndingDirectorySeparator(directory), size, layout, fileSystem);
    }

    public static bool IsPoolName(string name)
        => name.Length is > 0 and <= 63 && name.All(c => c is (>= 'a' and <= 'z') or (>= '0' and <= '9') or '-');

    private static string Required(Dictionary<string, string> fields, string key, string value)
        => fields.TryGetValue(key, out var v) && v.Length > 0 ? v : throw Bad(value, $"missing {key}=");

    private static FlagException Bad(string value, string why) => new($"--pool: \"{value}\": {why}; use {Syntax}");
}
