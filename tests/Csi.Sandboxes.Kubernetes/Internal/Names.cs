using System.Security.Cryptography;
using System.Text.RegularExpressions;

namespace Csi.Sandboxes.Kubernetes.Internal;

/// <summary>Name and label rules from <c>k8s.io/apimachinery/pkg/util/validation</c>.</summary>
internal static partial class Names
{
    private const string SuffixAlphabet = "bcdfghjklmnpqrstvwxz2456789";

    public const string DnsSubdomainMessage =
        "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";

    public const string DnsLabelMessage =
        "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')";

    public static bool IsDnsSubdomain(string value) => value.Length is > 0 and <= 253 && DnsSubdomainRegex().IsMatch(value);

    public static bool IsDnsLabel(string value) => value.Length is > 0 and <= 63 && DnsLabelRegex().IsMatch(value);

    /// <summary>A label or annotation key: optional DNS-subdomain prefix and a 63-character name.</summary>
    public static bool IsQualifiedName(string value)
    {
        var slash = value.IndexOf('/', StringComparison.Ordinal);
        var name = value;
        if (slash >= 0)
        {
            var prefix = value[..slash];
            name = value[(slash + 1)..];
            if (!IsDnsSubdomain(prefix))
            {
                return false;
            }
        }

        return name.Length is > 0 and <= 63 && QualifiedNameRegex().IsMatch(name);
    }

    public static bool IsLabelValue(string value) => value.Length == 0 || (value.Length <= 63 && QualifiedNameRegex().IsMatch(value));

    /// <summary>The five random characters the API server appends to <c>generateName</c>.</summary>
    public static string RandomSuffix()
    {
        Span<char> chars = stackalloc char[5];
        for (var i = 0; i < chars.Length; i++)
        {
            chars[i] = SuffixAlphabet[RandomNumberGenerator.GetInt32(SuffixAlphabet.Length)];
        }

        return new string(chars);
    }

    [GeneratedRegex("^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$", RegexOptions.CultureInvariant)]
    private static partial Regex DnsSubdomainRegex();

    [GeneratedRegex("^[a-z0-9]([-a-z0-9]*[a-z0-9])?$", RegexOptions.CultureInvariant)]
    private static partial Regex DnsLabelRegex();

    [GeneratedRegex("^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$", RegexOptions.CultureInvariant)]
    private static partial Regex QualifiedNameRegex();
}
