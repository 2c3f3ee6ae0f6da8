using System.Security.Cryptography.X509Certificates;

namespace Csi.Providers.Azure;

/// <summary>
/// Where identity binding (<c>useAzureTokenProxy</c>) sends its token requests: the cluster's token proxy, reached
/// over TLS with a server name of its own and trusted through the cluster CA.
/// </summary>
internal sealed record TokenProxySettings
{
    /// <summary>The proxy AKS serves identity binding on: the API server's in-cluster name.</summary>
    public static readonly Uri DefaultUrl = new("https://kubernetes.default.svc.cluster.local");

    /// <summary>The service-account CA every pod sees; the proxy's certificate chains to it.</summary>
    public const string DefaultCaFile = "/var/run/secrets/kubernetes.io/serviceaccount/ca.crt";

    /// <summary>The Azure SDKs' variable for another CA file; it wins over <see cref="DefaultCaFile"/>.</summary>
    public const string CaFileVariable = "AZURE_KUBERNETES_CA_FILE";

    public required Uri Url { get; init; }

    /// <summary>The TLS server name; empty means "derive it from the API server's certificate".</summary>
    public string ServerName { get; init; } = string.Empty;

    /// <summary>The CA file, or null to trust the system roots.</summary>
    public string? CaFile { get; init; }

    /// <summary>Checks a <c>--token-proxy-url</c> value; null when usable, else what is wrong with it.</summary>
    public static string? Validate(string text, out Uri? url)
    {
        url = null;
        if (!Uri.TryCreate(text, UriKind.Absolute, out var parsed))
        {
            return $"\"{text}\" is not an absolute URL; use https://<host>[:port]";
        }

        if (parsed.Scheme != Uri.UriSchemeHttps)
        {
            return $"the token proxy must use https, got \"{parsed.Scheme}\"";
        }

        if (parsed.UserInfo.Length > 0 || parsed.Query.Length > 0 || parsed.Fragment.Length > 0)
        {
            return "the token proxy URL must not carry user info, a query or a fragment";
        }

        url = parsed;
        return null;
    }

    /// <summary>The CA file to use: <see cref="CaFileVariable"/> when set, else <see cref="DefaultCaFile"/> when present.</summary>
    public static string? FindCaFile(string? fromEnvironment, Func<string, bool> exists) =>
        !string.IsNullOrEmpty(fromEnvironment) ? fromEnvironment
        : exists(DefaultCaFile) ? DefaultCaFile
        : null;

    /// <summary>The CA certificates from <see cref="CaFile"/>, or null for the system roots.</summary>
    public X509Certificate2Collection? LoadAuthorities()
    {
        if (CaFile is null)
        {
            return null;
        }

        var authorities = new X509Certificate2Collection();
        authorities.ImportFromPemFile(CaFile);
        return authorities.Count > 0 ? authorities : throw new InvalidOperationException($"{CaFile} holds no PEM certificate");
    }
}
