using System.Text.RegularExpressions;

namespace CsiProxy.Win.Paths;

/// <summary>A volume's unique id, \\?\Volume{GUID}\, the only form the volume group takes or returns.</summary>
public static partial class VolumeId
{
    /// <summary>The id in canonical form (trailing backslash, lower-case GUID) or a refusal naming <paramref name="field"/>.</summary>
    public static string Check(string field, string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        if (value.Length == 0)
        {
            throw ProxyException.InvalidField(field, "is required");
        }
        var match = Pattern().Match(value);
        if (!match.Success)
        {
            throw ProxyException.InvalidField(field, @"must have the form \\?\Volume{GUID}\");
        }
        return $@"\\?\Volume{{{match.Groups["guid"].Value.ToLowerInvariant()}}}\";
    }

    [GeneratedRegex(@"^\\\\\?\\Volume\{(?<guid>[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12})\}\\?$", RegexOptions.CultureInvariant)]
    private static partial Regex Pattern();
}
