namespace Csi.Providers.Vault;

/// <summary>Where and how to reach Vault for one SecretProviderClass: address, namespace and TLS.</summary>
internal sealed record VaultConnection(Uri Address, string? UnixSocketPath, string AddressSource, string Namespace, VaultTlsSettings Tls)
{
    /// <summary>The Go client's default when nothing sets an address.</summary>
    public const string DefaultAddress = "https://127.0.0.1:8200";

    /// <summary>The address as configured (a unix socket shows as unix://path).</summary>
    public string Display => UnixSocketPath is null ? Address.GetLeftPart(UriPartial.Path).TrimEnd('/') : "unix://" + UnixSocketPath;

    /// <summary>What an HTTP client depends on: address and TLS settings (not the namespace, which is a header).</summary>
    public string ClientKey => Display + "\u001e" + Tls.CacheKey();

    /// <summary>
    /// Parses http(s)://host[:port][/prefix] or unix:///path (a Vault Agent socket); null when the text is neither.
    /// </summary>
    public static bool TryParseAddress(string text, out Uri address, out string? unixSocketPath)
    {
        unixSocketPath = null;
        if (text.StartsWith("unix://", StringComparison.Ordinal))
        {
            var path = text["unix://".Length..];
            address = new Uri("http://localhost/");
            if (path.Length == 0 || path[0] != '/')
            {
                return false;
            }
            unixSocketPath = path;
            return true;
        }
        if (Uri.TryCreate(text, UriKind.Absolute, out var parsed)
            && (parsed.Scheme == Uri.UriSchemeHttp || parsed.Scheme == Uri.UriSchemeHttps)
            && parsed.Host.Length > 0 && parsed.Query.Length == 0 && parsed.Fragment.Length == 0 && parsed.UserInfo.Length == 0)
        {
            address = parsed;
            return true;
        }
        address = new Uri("http://localhost/");
        return false;
    }
}
