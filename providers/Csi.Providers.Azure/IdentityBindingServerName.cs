using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace Csi.Providers.Azure;

/// <summary>
/// The TLS server name of an AKS cluster's identity-binding proxy. AKS derives it from the cluster id, which the
/// API server's certificate carries as a DNS name <c>hcp-kubernetes.&lt;id&gt;.svc.cluster.local</c>: the name is
/// <c>a</c> + lower-case unpadded base32hex of SHA-256("identity-binding" + id) + <c>.ests.aks</c>.
/// </summary>
internal static class IdentityBindingServerName
{
    private const string Salt = "identity-binding";
    private const string SanPrefix = "hcp-kubernetes.";
    private const string SanSuffix = ".svc.cluster.local";
    private const string Base32Hex = "0123456789abcdefghijklmnopqrstuv";

    /// <summary>The server name for a cluster id.</summary>
    public static string FromClusterId(string clusterId)
    {
        ArgumentException.ThrowIfNullOrEmpty(clusterId);
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(Salt + clusterId));
        var text = new StringBuilder("a", 60);
        int buffer = 0, bits = 0;
        foreach (var b in hash)
        {
            buffer = (buffer << 8) | b;
            bits += 8;
            while (bits >= 5)
            {
                text.Append(Base32Hex[(buffer >> (bits - 5)) & 31]);
                bits -= 5;
            }
        }

        if (bits > 0)
        {
            text.Append(Base32Hex[(buffer << (5 - bits)) & 31]);
        }

        return text.Append(".ests.aks").ToString();
    }

    /// <summary>The cluster id in a certificate's DNS names, or null.</summary>
    public static string? ClusterIdOf(X509Certificate2 certificate)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        foreach (var extension in certificate.Extensions)
        {
            if (extension is X509SubjectAlternativeNameExtension san)
            {
                foreach (var name in san.EnumerateDnsNames())
                {
                    if (name.Length > SanPrefix.Length + SanSuffix.Length
                        && name.StartsWith(SanPrefix, StringComparison.OrdinalIgnoreCase)
                        && name.EndsWith(SanSuffix, StringComparison.OrdinalIgnoreCase))
                    {
                        return name[SanPrefix.Length..^SanSuffix.Length];
                    }
                }
            }
        }

        return null;
    }

    /// <summary>
    /// Connects to the proxy's host (the API server), checks its certificate against the settings' CA, and derives
    /// the server name from it. Throws <see cref="InvalidOperationException"/> saying to set <c>--sni-name</c>.
    /// </summary>
    public static async Task<string> DiscoverAsync(TokenProxySettings settings, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var authorities = settings.LoadAuthorities();
        try
        {
            using var client = new TcpClient();
            await client.ConnectAsync(settings.Url.Host, settings.Url.Port, cancellationToken).ConfigureAwait(false);
            using var tls = new SslStream(client.GetStream(), leaveInnerStreamOpen: false);
            await tls.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
            {
                TargetHost = settings.Url.IdnHost,
                RemoteCertificateValidationCallback = (_, certificate, chain, errors) => TokenProxyTransport.IsTrusted(certificate, errors, authorities),
            }, cancellationToken).ConfigureAwait(false);
            using var certificate = new X509Certificate2(tls.RemoteCertificate!);
            var clusterId = ClusterIdOf(certificate)
                ?? throw new InvalidOperationException($"the certificate of {settings.Url.Host} names no cluster (no {SanPrefix}<id>{SanSuffix}); set --sni-name to the identity-binding server name");
            return FromClusterId(clusterId);
        }
        catch (Exception e) when (e is SocketException or IOException or System.Security.Authentication.AuthenticationException)
        {
            throw new InvalidOperationException($"cannot read the cluster id from {settings.Url.Host}:{settings.Url.Port} ({e.Message}); set --sni-name to the identity-binding server name", e);
        }
    }
}
