using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Azure.Core.Pipeline;
using Csi.Sandboxes.Azure.Internal;
using Csi.Sandboxes.Common;

namespace Csi.Sandboxes.Azure;

/// <summary>
/// A loopback Azure Key Vault for tests: the vault data plane (secrets, keys, certificates) with its bearer
/// challenge, an Azure AD token endpoint (client secret and client assertion) and IMDS, so the real Azure SDK
/// clients and Azure.Identity credentials run unmodified. All hosts (<c>*.vault.azure.net</c>,
/// <c>login.microsoftonline.com</c>, <c>169.254.169.254</c>) reach the sandbox through
/// <see cref="CreateHttpHandler"/> / <see cref="CreateTransport"/>, which connect every name to loopback and trust
/// only the sandbox certificate.
/// </summary>
public sealed partial class KeyVaultSandbox : IAsyncDisposable
{
    /// <summary>The audience Kubernetes tokens must carry to be exchanged (workload identity).</summary>
    public const string TokenExchangeAudience = "api://AzureADTokenExchange";

    /// <summary>The Key Vault resource; tokens must be issued for it.</summary>
    public const string VaultResource = "https://vault.azure.net";

    /// <summary>The IMDS host and port clients address.</summary>
    public const string ImdsHost = "169.254.169.254";

    /// <summary>The audience Kubernetes tokens carry for AKS identity binding (exchanged through the token proxy).</summary>
    public const string IdentityBindingAudience = "api://AKSIdentityBinding";

    private readonly KeyVaultSandboxOptions _options;
    private readonly bool _ownsIssuer;
    private readonly ConcurrentDictionary<string, SandboxVault> _vaults = new(StringComparer.OrdinalIgnoreCase);
    private readonly ConcurrentDictionary<string, AppRegistration> _apps = new(StringComparer.OrdinalIgnoreCase);
    private readonly ConcurrentDictionary<string, IssuedToken> _tokens = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, byte> _userAssignedIdentities = new(StringComparer.OrdinalIgnoreCase);
    private readonly ConcurrentDictionary<string, string> _podIdentities = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<KeyVaultRequest> _log = new();
    private readonly Lock _faultGate = new();
    private int _throttleRemaining;
    private TimeSpan _throttleRetryAfter;
    private LoopbackServer? _https;
    private LoopbackServer? _imds;
    private LoopbackServer? _tokenProxy;
    private ForwardProxy? _forwardProxy;
    private X509Certificate2? _tokenProxyAuthority;

    private KeyVaultSandbox(KeyVaultSandboxOptions options, ServiceAccountTokenIssuer issuer, bool ownsIssuer)
    {
        _options = options;
        TokenIssuer = issuer;
        _ownsIssuer = ownsIssuer;
    }

    /// <summary>The tenant vaults belong to by default and managed identities live in.</summary>
    public string TenantId => _options.TenantId;

    /// <summary>The AAD authority host (give it to credentials as <c>AuthorityHost</c>; it is the default one).</summary>
    public Uri AuthorityHost => _options.AuthorityHost;

    /// <summary>The signer of Kubernetes service-account tokens accepted as client assertions.</summary>
    public ServiceAccountTokenIssuer TokenIssuer { get; }

    /// <summary>The sandbox clock.</summary>
    public TimeProvider TimeProvider => _options.TimeProvider;

    /// <summary>The HTTPS server certificate (vault and AAD).</summary>
    public X509Certificate2 ServerCertificate => _https?.ServerCertificate ?? throw new InvalidOperationException("not started");

    /// <summary>The loopback address of the HTTPS listener (vault and AAD), for clients that cannot use the handler.</summary>
    public Uri HttpsAddress => _https?.BaseAddress ?? throw new InvalidOperationException("not started");

    /// <summary>The loopback address of the IMDS listener (plain HTTP).</summary>
    public Uri ImdsAddress => _imds?.BaseAddress ?? throw new InvalidOperationException("not started");

    /// <summary>The client id of the system-assigned managed identity; null when the "VM" has none.</summary>
    public string? SystemAssignedClientId { get; set; }

    /// <summary>Every request answered so far, oldest first.</summary>
    public IReadOnlyList<KeyVaultRequest> Requests => _log.ToArray();

    /// <summary>Starts the HTTPS (vault, AAD) and HTTP (IMDS) listeners on loopback.</summary>
    public static async Task<KeyVaultSandbox> StartAsync(KeyVaultSandboxOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= new KeyVaultSandboxOptions();
        var ownsIssuer = options.TokenIssuer is null;
        var issuer = options.TokenIssuer ?? new ServiceAccountTokenIssuer(timeProvider: options.TimeProvider);
        var sandbox = new KeyVaultSandbox(options, issuer, ownsIssuer);
        try
        {
            // Named for every host clients address, so a process that trusts it (SSL_CERT_FILE) and reaches the
            // sandbox through ProxyAddress validates it as it would the real service.
            var serverCertificate = SandboxCertificates.CreateSelfSignedServerCertificate(["*." + options.VaultDnsSuffix, options.AuthorityHost.Host]);
            sandbox._https = await LoopbackServer.StartAsync(sandbox.HandleHttpsAsync, new LoopbackServerOptions { UseHttps = true, ServerCertificate = serverCertificate }, cancellationToken).ConfigureAwait(false);
            sandbox._imds = await LoopbackServer.StartAsync(sandbox.HandleImdsAsync, new LoopbackServerOptions(), cancellationToken).ConfigureAwait(false);
            sandbox._tokenProxyAuthority = SandboxCertificates.CreateCertificateAuthority("Csi Sandbox cluster CA");
            using var proxyCertificate = SandboxCertificates.IssueCertificate(sandbox._tokenProxyAuthority, options.TokenProxySniName, clientAuth: false, serverAuth: true, dnsNames: [options.TokenProxySniName]);
            sandbox._tokenProxy = await LoopbackServer.StartAsync(sandbox.HandleTokenProxyAsync, new LoopbackServerOptions { UseHttps = true, ServerCertificate = X509CertificateLoader.LoadPkcs12(proxyCertificate.Export(X509ContentType.Pkcs12), null) }, cancellationToken).ConfigureAwait(false);
            var httpsPort = sandbox._https.Port;
            var plainPort = sandbox._imds.Port;
            sandbox._forwardProxy = ForwardProxy.Start((_, port) => port == 443 ? httpsPort : plainPort);
            return sandbox;
        }
        catch
        {
            await sandbox.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>
    /// An HTTP forward proxy for provider processes: with <c>HTTPS_PROXY</c>/<c>HTTP_PROXY</c> set to it and
    /// <c>SSL_CERT_FILE</c> set to <see cref="WriteTrustBundle"/>'s file, the real vault, authority and IMDS addresses
    /// reach the sandbox (port 443 to HTTPS, any other port to the plain listener).
    /// </summary>
    public Uri ProxyAddress => _forwardProxy?.Address ?? throw new InvalidOperationException("not started");

    /// <summary>The AKS identity-binding token proxy: HTTPS with a certificate for <see cref="TokenProxySniName"/> from <see cref="TokenProxyCertificateAuthority"/>.</summary>
    public Uri TokenProxyAddress => _tokenProxy?.BaseAddress ?? throw new InvalidOperationException("not started");

    /// <summary>The TLS server name the token proxy answers to.</summary>
    public string TokenProxySniName => _options.TokenProxySniName;

    /// <summary>The CA that signed the token proxy's certificate (the cluster CA in AKS).</summary>
    public X509Certificate2 TokenProxyCertificateAuthority => _tokenProxyAuthority ?? throw new InvalidOperationException("not started");

    /// <summary>Writes the sandbox's server certificate as PEM to <paramref name="path"/> (for <c>SSL_CERT_FILE</c>).</summary>
    public void WriteTrustBundle(string path) => File.WriteAllText(path, ServerCertificate.ExportCertificatePem() + "\n");

    /// <summary>Writes the token proxy's CA certificate as PEM to <paramref name="path"/>.</summary>
    public void WriteTokenProxyCertificateAuthority(string path) => File.WriteAllText(path, TokenProxyCertificateAuthority.ExportCertificatePem() + "\n");

    /// <summary>Creates (or returns) the vault <paramref name="name"/>, by default in <see cref="TenantId"/>.</summary>
    public SandboxVault CreateVault(string name, string? tenantId = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        return _vaults.GetOrAdd(name, n => new SandboxVault(n, tenantId ?? TenantId, _options.VaultDnsSuffix, TimeProvider));
    }

    /// <summary>Registers an application with a client secret (client-credentials grant).</summary>
    public void AddClientSecret(string clientId, string clientSecret, string? tenantId = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(clientId);
        ArgumentException.ThrowIfNullOrWhiteSpace(clientSecret);
        var app = App(clientId, tenantId);
        lock (app)
        {
            app.Secrets.Add(clientSecret);
        }
    }

    /// <summary>
    /// Adds a federated identity credential: service-account tokens from <see cref="TokenIssuer"/> for
    /// <c>system:serviceaccount:&lt;namespace&gt;:&lt;name&gt;</c> with audience <see cref="TokenExchangeAudience"/> may act as the app.
    /// </summary>
    public void AddFederatedCredential(string clientId, string @namespace, string serviceAccountName, string? tenantId = null, string audience = TokenExchangeAudience)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(clientId);
        var app = App(clientId, tenantId);
        lock (app)
        {
            app.FederatedCredentials.Add((TokenIssuer.Issuer, $"system:serviceaccount:{@namespace}:{serviceAccountName}", audience));
        }
    }

    /// <summary>Assigns a user-assigned managed identity to the "VM" (IMDS answers for its client id).</summary>
    public void AddUserAssignedIdentity(string clientId)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(clientId);
        _userAssignedIdentities[clientId] = 0;
    }

    /// <summary>
    /// Binds a pod to an identity for the aad-pod-identity NMI endpoint (<c>http://localhost:2579/host/token/</c>,
    /// served on the plain HTTP listener): requests with headers <c>podns</c>/<c>podname</c> get tokens as <paramref name="clientId"/>.
    /// </summary>
    public void AddPodIdentity(string @namespace, string podName, string clientId)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(clientId);
        _podIdentities[$"{@namespace}/{podName}"] = clientId;
    }

    /// <summary>The next <paramref name="count"/> authenticated vault requests get 429 with <c>Retry-After</c>.</summary>
    public void ThrottleNextRequests(int count, TimeSpan retryAfter)
    {
        lock (_faultGate)
        {
            _throttleRemaining = count;
            _throttleRetryAfter = retryAfter;
        }
    }

    /// <summary>Requests to a service (<c>vault</c>, <c>aad</c>, <c>imds</c>, <c>nmi</c>) whose path starts with <paramref name="pathPrefix"/>.</summary>
    public int CountRequests(string service, string pathPrefix = "/", int? statusCode = null) =>
        _log.Count(r => r.Service == service && r.Path.StartsWith(pathPrefix, StringComparison.OrdinalIgnoreCase) && (statusCode is null || r.StatusCode == statusCode));

    /// <summary>Forgets the request log.</summary>
    public void ClearRequests() => _log.Clear();

    /// <summary>
    /// A handler that connects any host to the sandbox (port 443 to HTTPS, any other port to the plain HTTP listener
    /// serving IMDS and NMI) and trusts
    /// only the sandbox certificate; the caller owns it.
    /// </summary>
    public SocketsHttpHandler CreateHttpHandler()
    {
        var httpsPort = _https?.Port ?? throw new InvalidOperationException("not started");
        var imdsPort = _imds?.Port ?? throw new InvalidOperationException("not started");
        var thumbprint = ServerCertificate.GetCertHash(HashAlgorithmName.SHA256);
        var handler = new SocketsHttpHandler
        {
            ConnectCallback = async (context, cancellationToken) =>
            {
                var port = context.DnsEndPoint.Port == 443 ? httpsPort : imdsPort;
                var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
                try
                {
                    await socket.ConnectAsync(new IPEndPoint(IPAddress.Loopback, port), cancellationToken).ConfigureAwait(false);
                    return new NetworkStream(socket, ownsSocket: true);
                }
                catch
                {
                    socket.Dispose();
                    throw;
                }
            },
        };
        handler.SslOptions.RemoteCertificateValidationCallback = (_, certificate, _, _) =>
            certificate is not null && certificate.GetCertHash(HashAlgorithmName.SHA256).AsSpan().SequenceEqual(thumbprint);
        return handler;
    }

    /// <summary>An Azure SDK transport over <see cref="CreateHttpHandler"/>: set it as <c>ClientOptions.Transport</c>.</summary>
    public HttpClientTransport CreateTransport() => new(CreateHttpHandler());

    public async ValueTask DisposeAsync()
    {
        if (_forwardProxy is not null)
        {
            await _forwardProxy.DisposeAsync().ConfigureAwait(false);
        }

        if (_tokenProxy is not null)
        {
            await _tokenProxy.DisposeAsync().ConfigureAwait(false);
        }

        _tokenProxyAuthority?.Dispose();
        if (_https is not null)
        {
            await _https.DisposeAsync().ConfigureAwait(false);
        }

        if (_imds is not null)
        {
            await _imds.DisposeAsync().ConfigureAwait(false);
        }

        if (_ownsIssuer)
        {
            TokenIssuer.Dispose();
        }
    }

    // ================================================================== routing
}
