using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using Azure.Core.Pipeline;

namespace Csi.Providers.Azure;

/// <summary>
/// The transport identity binding's token requests travel on: each request keeps its path and goes to the token
/// proxy instead of the authority, over TLS to the proxy's own server name, trusted through the cluster CA.
/// </summary>
internal static class TokenProxyTransport
{
    public static HttpPipelineTransport Create(TokenProxySettings settings, string serverName)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentException.ThrowIfNullOrEmpty(serverName);
        var authorities = settings.LoadAuthorities();
        var proxy = settings.Url;
        var handler = new SocketsHttpHandler
        {
            // The request names the server (SNI, certificate name); the socket goes to the proxy's address.
            ConnectCallback = async (context, cancellationToken) =>
            {
                var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
                try
                {
                    await socket.ConnectAsync(proxy.DnsSafeHost, proxy.Port, cancellationToken).ConfigureAwait(false);
                    return new NetworkStream(socket, ownsSocket: true);
                }
                catch
                {
                    socket.Dispose();
                    throw;
                }
            },
            UseProxy = false,
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
        };
        handler.SslOptions.RemoteCertificateValidationCallback = (_, certificate, _, errors) => IsTrusted(certificate, errors, authorities);
        return new HttpClientTransport(new RedirectingHandler(proxy, serverName) { InnerHandler = handler });
    }

    /// <summary>True when the certificate names the server and chains to <paramref name="authorities"/> (or the system roots when null).</summary>
    public static bool IsTrusted(X509Certificate? certificate, SslPolicyErrors errors, X509Certificate2Collection? authorities)
    {
        if (certificate is null || errors.HasFlag(SslPolicyErrors.RemoteCertificateNameMismatch) || errors.HasFlag(SslPolicyErrors.RemoteCertificateNotAvailable))
        {
            return false;
        }

        if (authorities is null)
        {
            return errors == SslPolicyErrors.None;
        }

        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.AddRange(authorities);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        using var leaf = new X509Certificate2(certificate);
        return chain.Build(leaf);
    }

    private sealed class RedirectingHandler(Uri proxy, string serverName) : DelegatingHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var prefix = proxy.AbsolutePath.TrimEnd('/');
            request.RequestUri = new Uri($"https://{serverName}:{proxy.Port}{prefix}{request.RequestUri!.PathAndQuery}");
            return base.SendAsync(request, cancellationToken);
        }
    }
}
