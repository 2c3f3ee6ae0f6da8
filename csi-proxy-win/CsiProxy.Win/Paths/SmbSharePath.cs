using System.Buffers;
using System.Globalization;
using System.Net;

namespace CsiProxy.Win.Paths;

/// <summary>
/// A remote SMB path, \\server\share[\dir...], with '/' read as '\'. The global mapping is made on
/// <see cref="Root"/> (lower case, as upstream maps it); the local link points at <see cref="Full"/>.
/// </summary>
public sealed class SmbSharePath
{
    // Characters the published API forbids in a remote path ('$' is allowed only as the last character of a
    // share name, where it marks a hidden share).
    private static readonly SearchValues<char> ForbiddenCharacters = SearchValues.Create("+[]\":;|<>,?*=");

    private SmbSharePath(string server, string share, string[] rest)
    {
        Root = string.Create(CultureInfo.InvariantCulture, $@"\\{server}\{share}").ToLowerInvariant();
        Full = rest.Length == 0 ? $@"\\{server}\{share}" : $@"\\{server}\{share}\{string.Join('\\', rest)}";
    }

    public string Root { get; }

    public string Full { get; }

    /// <summary>Parses <paramref name="value"/> or refuses it naming <paramref name="field"/>.</summary>
    public static SmbSharePath Parse(string field, string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var text = value.Replace('/', '\\');
        if (text.Length == 0)
        {
            throw ProxyException.InvalidField(field, "is required");
        }
        if (text.Length > WindowsPathSyntax.MaxLength)
        {
            throw ProxyException.InvalidField(field, $"is longer than {WindowsPathSyntax.MaxLength} characters");
        }
        if (!text.StartsWith(@"\\", StringComparison.Ordinal))
        {
            throw ProxyException.InvalidField(field, @"must have the form \\server\share");
        }
        var parts = text[2..].Split('\\', StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length < 2)
        {
            throw ProxyException.InvalidField(field, @"must have the form \\server\share");
        }
        if (parts[0] is "?" or ".")
        {
            throw ProxyException.InvalidField(field, "device paths are not allowed");
        }
        if (!IsServerName(parts[0]))
        {
            throw ProxyException.InvalidField(field, $"server \"{parts[0]}\" is not a host name or IP address");
        }
        for (var i = 1; i < parts.Length; i++)
        {
            var part = parts[i];
            if (part.Any(char.IsControl) || part.AsSpan().ContainsAny(ForbiddenCharacters))
            {
                throw ProxyException.InvalidField(field, $"segment \"{part}\" contains a character that is not allowed (+ [ ] \" : ; | < > , ? * =)");
            }
            var dollar = part.IndexOf('$', StringComparison.Ordinal);
            if (dollar >= 0 && !(i == 1 && dollar == part.Length - 1))
            {
                throw ProxyException.InvalidField(field, "'$' is allowed only at the end of the share name");
            }
            if (WindowsPathSyntax.CheckSegment(part) is { } reason)
            {
                throw ProxyException.InvalidField(field, reason);
            }
        }
        return new SmbSharePath(parts[0], parts[1], parts[2..]);
    }

    private static bool IsServerName(string server)
        => IPAddress.TryParse(server, out _) || Uri.CheckHostName(server) == UriHostNameType.Dns;
}
