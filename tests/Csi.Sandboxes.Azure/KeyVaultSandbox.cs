using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json.Nodes;
using Azure.Core.Pipeline;
using Csi.Sandboxes.Azure.Internal;
using Csi.Sandboxes.Common;
using Microsoft.AspNetCore.Http;

namespace Csi.Sandboxes.Azure;

/// <summary>
/// A loopback Azure Key Vault for tests: the vault data plane (secrets, keys, certificates) with its bearer
/// challenge, an Azure AD token endpoint (client secret and client assertion) and IMDS, so the real Azure SDK
/// clients and Azure.Identity credentials run unmodified. All hosts (<c>*.vault.azure.net</c>,
/// <c>login.microsoftonline.com</c>, <c>169.254.169.254</c>) reach the sandbox through
/// <see cref="CreateHttpHandler"/> / <see cref="CreateTransport"/>, which connect every name to loopback and trust
/// only the sandbox certificate.
/// </summary>
public sealed class KeyVaultSandbox : IAsyncDisposable
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

    private async Task HandleHttpsAsync(HttpContext context)
    {
        var host = context.Request.Host.Host;
        var service = host.EndsWith("." + _options.VaultDnsSuffix, StringComparison.OrdinalIgnoreCase) ? "vault" : "aad";
        try
        {
            if (service == "vault")
            {
                await HandleVaultAsync(context, host[..host.IndexOf('.', StringComparison.Ordinal)]).ConfigureAwait(false);
            }
            else
            {
                await HandleAadAsync(context).ConfigureAwait(false);
            }
        }
        finally
        {
            Record(service, context);
        }
    }

    private async Task HandleTokenProxyAsync(HttpContext context)
    {
        try
        {
            // The proxy serves only its own name: a client that does not send it as SNI is misdirected.
            var sni = context.Features.Get<Microsoft.AspNetCore.Connections.Features.ITlsHandshakeFeature>()?.HostName;
            if (!string.Equals(sni, _options.TokenProxySniName, StringComparison.OrdinalIgnoreCase))
            {
                context.Response.StatusCode = 421;
                await context.Response.WriteAsync($"misdirected request: TLS server name '{sni}' is not {_options.TokenProxySniName}\n").ConfigureAwait(false);
                return;
            }

            await HandleAadAsync(context).ConfigureAwait(false);
        }
        finally
        {
            Record("tokenproxy", context);
        }
    }

    private async Task HandleImdsAsync(HttpContext context)
    {
        var nmi = (context.Request.Path.Value ?? string.Empty).StartsWith("/host/token", StringComparison.Ordinal);
        try
        {
            if (nmi)
            {
                await HandleNmiAsync(context).ConfigureAwait(false);
            }
            else
            {
                await HandleImdsCoreAsync(context).ConfigureAwait(false);
            }
        }
        finally
        {
            Record(nmi ? "nmi" : "imds", context);
        }
    }

    private async Task HandleNmiAsync(HttpContext context)
    {
        var request = context.Request;
        var podNamespace = request.Headers["podns"].ToString();
        var podName = request.Headers["podname"].ToString();
        var resource = request.Query["resource"].ToString();
        if (podNamespace.Length == 0 || podName.Length == 0 || resource.Length == 0)
        {
            context.Response.StatusCode = 400;
            await context.Response.WriteAsync("missing podns, podname or resource\n").ConfigureAwait(false);
            return;
        }

        if (!_podIdentities.TryGetValue($"{podNamespace}/{podName}", out var clientId))
        {
            context.Response.StatusCode = 404;
            await context.Response.WriteAsync($"no AzureAssignedIdentity found for pod:{podNamespace}/{podName} in assigned state\n").ConfigureAwait(false);
            return;
        }

        var (token, lifetime) = Issue(TenantId, resource, clientId);
        var now = TimeProvider.GetUtcNow();
        await JsonAsync(context, 200, new JsonObject
        {
            ["token"] = new JsonObject
            {
                ["access_token"] = token,
                ["refresh_token"] = string.Empty,
                ["expires_in"] = ((long)lifetime.TotalSeconds).ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["expires_on"] = (now + lifetime).ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["not_before"] = now.ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["resource"] = resource,
                ["token_type"] = "Bearer",
            },
            ["clientid"] = clientId,
        }).ConfigureAwait(false);
    }

    private void Record(string service, HttpContext context) =>
        _log.Enqueue(new KeyVaultRequest(
            service,
            context.Request.Method,
            context.Request.Host.Value ?? string.Empty,
            context.Request.Path.Value ?? "/",
            context.Response.StatusCode,
            context.Request.Headers.Authorization.Count > 0));

    // ================================================================== vault data plane

    private async Task HandleVaultAsync(HttpContext context, string vaultName)
    {
        var request = context.Request;
        if (!_vaults.TryGetValue(vaultName, out var vault))
        {
            // A real client would fail DNS resolution; a plain 404 is the closest loopback answer.
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            return;
        }

        if (string.IsNullOrEmpty(request.Query["api-version"]))
        {
            await VaultErrorAsync(context, 400, "BadParameter", "The request URI contains an invalid or missing api-version query parameter.").ConfigureAwait(false);
            return;
        }

        var authorization = request.Headers.Authorization.ToString();
        if (!authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            await UnauthorizedAsync(context, vault, "AKV10000: Request is missing a Bearer or PoP token.").ConfigureAwait(false);
            return;
        }

        var problem = CheckToken(authorization["Bearer ".Length..].Trim(), vault, out var clientId);
        if (problem is not null)
        {
            await UnauthorizedAsync(context, vault, problem).ConfigureAwait(false);
            return;
        }

        if (TakeThrottle(out var retryAfter))
        {
            context.Response.Headers.RetryAfter = ((int)Math.Ceiling(retryAfter.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
            await VaultErrorAsync(context, 429, "Throttled", "Operations per second limit reached. Please retry after the time given in the Retry-After header.").ConfigureAwait(false);
            return;
        }

        var segments = (request.Path.Value ?? "/").Split('/', StringSplitOptions.RemoveEmptyEntries);
        if (segments.Length is < 2 or > 3 || segments[0] is not ("secrets" or "keys" or "certificates"))
        {
            await VaultErrorAsync(context, 400, "BadParameter", "The request URI is not a valid Key Vault object URI.").ConfigureAwait(false);
            return;
        }

        if (!HttpMethods.IsGet(request.Method))
        {
            await VaultErrorAsync(context, 405, "MethodNotAllowed", $"The sandbox does not support {request.Method} on this URI.").ConfigureAwait(false);
            return;
        }

        var (collection, name) = (segments[0], segments[1]);
        var noun = collection switch { "secrets" => "secret", "keys" => "key", _ => "certificate" };
        if (!vault.IsAllowed(clientId))
        {
            await VaultErrorAsync(context, 403, "Forbidden",
                $"The user, group or application 'appid={clientId}' does not have {collection} {(segments.Length == 3 && segments[2] == "versions" ? "list" : "get")} permission on key vault '{vault.Name}'.",
                "AccessDenied").ConfigureAwait(false);
            return;
        }

        if (segments.Length == 3 && segments[2] == "versions")
        {
            await ListVersionsAsync(context, vault, collection, name).ConfigureAwait(false);
            return;
        }

        var version = segments.Length == 3 ? segments[2] : null;
        var stored = vault.Find(collection, name, version, out var bundle);
        if (stored is null || bundle is null)
        {
            var id = version is null ? name : $"{name}/{version}";
            var code = noun switch { "secret" => "SecretNotFound", "key" => "KeyNotFound", _ => "CertificateNotFound" };
            await VaultErrorAsync(context, 404, code,
                $"A {noun} with (name/id) {id} was not found in this key vault. If you recently deleted this {noun} you may be able to recover it using the correct recovery command. For help resolving this issue, please see https://go.microsoft.com/fwlink/?linkid=2125182").ConfigureAwait(false);
            return;
        }

        if (!stored.Enabled && collection == "secrets")
        {
            await VaultErrorAsync(context, 403, "Forbidden", "Operation get is not allowed on a disabled secret.", "SecretDisabled").ConfigureAwait(false);
            return;
        }

        await JsonAsync(context, 200, bundle).ConfigureAwait(false);
    }

    private static async Task ListVersionsAsync(HttpContext context, SandboxVault vault, string collection, string name)
    {
        var query = context.Request.Query;
        var pageSize = 25;
        if (!string.IsNullOrEmpty(query["maxresults"]))
        {
            if (!int.TryParse(query["maxresults"], out pageSize) || pageSize is < 1 or > 25)
            {
                await VaultErrorAsync(context, 400, "BadParameter", "Invalid value for maxresults: it must be between 1 and 25.").ConfigureAwait(false);
                return;
            }
        }

        var skip = 0;
        if (!string.IsNullOrEmpty(query["$skiptoken"]) && !int.TryParse(query["$skiptoken"], out skip))
        {
            await VaultErrorAsync(context, 400, "BadParameter", "Invalid $skiptoken.").ConfigureAwait(false);
            return;
        }

        var all = vault.ListVersions(collection, name);
        var page = new JsonArray(all.Skip(skip).Take(pageSize).Select(JsonNode (v) => v).ToArray());
        string? next = null;
        if (skip + pageSize < all.Count)
        {
            var apiVersion = Uri.EscapeDataString(query["api-version"].ToString());
            next = $"https://{context.Request.Host.Value}/{collection}/{name}/versions?api-version={apiVersion}&$skiptoken={skip + pageSize}&maxresults={pageSize}";
        }

        await JsonAsync(context, 200, new JsonObject { ["value"] = page, ["nextLink"] = next }).ConfigureAwait(false);
    }

    private string? CheckToken(string token, SandboxVault vault, out string? clientId)
    {
        clientId = null;
        if (!_tokens.TryGetValue(token, out var issued))
        {
            return "AKV10022: Invalid token: the token was not issued by this sandbox's Azure AD.";
        }

        clientId = issued.ClientId;
        if (issued.ExpiresAt <= TimeProvider.GetUtcNow())
        {
            return "AKV10032: Invalid token: the token has expired.";
        }

        if (!string.Equals(issued.Audience.TrimEnd('/'), VaultResource, StringComparison.OrdinalIgnoreCase))
        {
            return $"AKV10022: Invalid audience. Expected {VaultResource}, found: {issued.Audience}.";
        }

        if (!string.Equals(issued.TenantId, vault.TenantId, StringComparison.OrdinalIgnoreCase))
        {
            return $"AKV10032: Invalid issuer. Expected one of https://sts.windows.net/{vault.TenantId}/, found https://sts.windows.net/{issued.TenantId}/.";
        }

        return null;
    }

    private bool TakeThrottle(out TimeSpan retryAfter)
    {
        lock (_faultGate)
        {
            retryAfter = _throttleRetryAfter;
            if (_throttleRemaining > 0)
            {
                _throttleRemaining--;
                return true;
            }

            return false;
        }
    }

    private Task UnauthorizedAsync(HttpContext context, SandboxVault vault, string message)
    {
        var authority = new Uri(AuthorityHost, vault.TenantId);
        context.Response.Headers.WWWAuthenticate = $"Bearer authorization=\"{authority.ToString().TrimEnd('/')}\", resource=\"{VaultResource}\"";
        return VaultErrorAsync(context, 401, "Unauthorized", message);
    }

    private static Task VaultErrorAsync(HttpContext context, int status, string code, string message, string? innerCode = null)
    {
        var error = new JsonObject { ["code"] = code, ["message"] = message };
        if (innerCode is not null)
        {
            error["innererror"] = new JsonObject { ["code"] = innerCode };
        }

        return JsonAsync(context, status, new JsonObject { ["error"] = error });
    }

    // ================================================================== Azure AD

    private async Task HandleAadAsync(HttpContext context)
    {
        var request = context.Request;
        var segments = (request.Path.Value ?? "/").Split('/', StringSplitOptions.RemoveEmptyEntries);
        var authorityHost = $"{request.Scheme}://{request.Host.Value}";
        if (HttpMethods.IsGet(request.Method) && segments is [_, "discovery", "instance"])
        {
            await JsonAsync(context, 200, new JsonObject
            {
                ["tenant_discovery_endpoint"] = $"{authorityHost}/{TenantId}/v2.0/.well-known/openid-configuration",
                ["api-version"] = "1.1",
                ["metadata"] = new JsonArray(new JsonObject
                {
                    ["preferred_network"] = request.Host.Host,
                    ["preferred_cache"] = request.Host.Host,
                    ["aliases"] = new JsonArray(request.Host.Host),
                }),
            }).ConfigureAwait(false);
            return;
        }

        if (HttpMethods.IsGet(request.Method) && segments is [var discoveryTenant, "v2.0", ".well-known", "openid-configuration"])
        {
            await JsonAsync(context, 200, new JsonObject
            {
                ["issuer"] = $"{authorityHost}/{discoveryTenant}/v2.0",
                ["authorization_endpoint"] = $"{authorityHost}/{discoveryTenant}/oauth2/v2.0/authorize",
                ["token_endpoint"] = $"{authorityHost}/{discoveryTenant}/oauth2/v2.0/token",
                ["token_endpoint_auth_methods_supported"] = new JsonArray("client_secret_post", "private_key_jwt", "client_secret_basic"),
                ["response_types_supported"] = new JsonArray("code", "id_token", "code id_token", "id_token token"),
                ["tenant_region_scope"] = "NA",
            }).ConfigureAwait(false);
            return;
        }

        if (!HttpMethods.IsPost(request.Method) || segments is not [var tenant, "oauth2", "v2.0", "token"])
        {
            await AadErrorAsync(context, 404, "invalid_request", 900561, "The endpoint only accepts POST requests at /<tenant>/oauth2/v2.0/token.").ConfigureAwait(false);
            return;
        }

        var form = request.HasFormContentType ? await request.ReadFormAsync().ConfigureAwait(false) : null;
        string Field(string key) => form?[key].ToString() ?? string.Empty;
        if (Field("grant_type") != "client_credentials")
        {
            await AadErrorAsync(context, 400, "unsupported_grant_type", 70003, "The app requested an unsupported grant type; the sandbox supports client_credentials only.").ConfigureAwait(false);
            return;
        }

        var clientId = Field("client_id");
        if (!_apps.TryGetValue(clientId, out var app) || !string.Equals(app.TenantId, tenant, StringComparison.OrdinalIgnoreCase))
        {
            await AadErrorAsync(context, 400, "unauthorized_client", 700016,
                $"Application with identifier '{clientId}' was not found in the directory '{tenant}'.").ConfigureAwait(false);
            return;
        }

        var scope = Field("scope");
        if (!scope.EndsWith("/.default", StringComparison.Ordinal))
        {
            await AadErrorAsync(context, 400, "invalid_scope", 1002012, $"The provided value for scope {scope} is not valid. Client credential flows must have a scope value with /.default suffixed to the resource identifier.").ConfigureAwait(false);
            return;
        }

        var assertion = Field("client_assertion");
        var secret = Field("client_secret");
        if (assertion.Length > 0)
        {
            if (Field("client_assertion_type") != "urn:ietf:params:oauth:client-assertion-type:jwt-bearer")
            {
                await AadErrorAsync(context, 400, "invalid_request", 50027, "Invalid client_assertion_type.").ConfigureAwait(false);
                return;
            }

            var problem = CheckAssertion(app, assertion, out var code);
            if (problem is not null)
            {
                await AadErrorAsync(context, 400, "invalid_client", code, problem).ConfigureAwait(false);
                return;
            }
        }
        else if (secret.Length > 0)
        {
            bool known;
            lock (app)
            {
                known = app.Secrets.Contains(secret);
            }

            if (!known)
            {
                await AadErrorAsync(context, 401, "invalid_client", 7000215, "Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID.").ConfigureAwait(false);
                return;
            }
        }
        else
        {
            await AadErrorAsync(context, 401, "invalid_client", 7000218, "The request body must contain the following parameter: 'client_assertion' or 'client_secret'.").ConfigureAwait(false);
            return;
        }

        var (token, lifetime) = Issue(app.TenantId, scope[..^"/.default".Length], clientId);
        await JsonAsync(context, 200, new JsonObject
        {
            ["token_type"] = "Bearer",
            ["expires_in"] = (long)lifetime.TotalSeconds,
            ["ext_expires_in"] = (long)lifetime.TotalSeconds,
            ["access_token"] = token,
        }).ConfigureAwait(false);
    }

    private string? CheckAssertion(AppRegistration app, string assertion, out int code)
    {
        var result = TokenIssuer.Validate(assertion, expectedAudience: null, TimeProvider);
        if (!result.IsValid || result.Claims is null)
        {
            code = result.Failure == ServiceAccountTokenFailure.Expired ? 700024 : 50027;
            return code == 700024 ? "Client assertion is not within its valid time range." : "Invalid JWT token: the assertion is not signed by a trusted issuer.";
        }

        var claims = result.Claims;
        lock (app)
        {
            var byIssuer = app.FederatedCredentials.Where(f => f.Issuer == claims.Issuer).ToList();
            if (byIssuer.Count == 0)
            {
                code = 700211;
                return $"No matching federated identity record found for presented assertion issuer '{claims.Issuer}'.";
            }

            var bySubject = byIssuer.Where(f => f.Subject == claims.Subject).ToList();
            if (bySubject.Count == 0)
            {
                code = 700213;
                return $"No matching federated identity record found for presented assertion subject '{claims.Subject}'.";
            }

            if (!bySubject.Any(f => claims.Audiences.Contains(f.Audience)))
            {
                code = 700212;
                return $"No matching federated identity record found for presented assertion audience '{string.Join(",", claims.Audiences)}'.";
            }
        }

        code = 0;
        return null;
    }

    private (string Token, TimeSpan Lifetime) Issue(string tenantId, string audience, string clientId)
    {
        var token = "kvsandbox." + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(24));
        _tokens[token] = new IssuedToken(tenantId, audience, clientId, TimeProvider.GetUtcNow() + _options.AccessTokenLifetime);
        return (token, _options.AccessTokenLifetime);
    }

    private Task AadErrorAsync(HttpContext context, int status, string error, int code, string description) =>
        JsonAsync(context, status, new JsonObject
        {
            ["error"] = error,
            ["error_description"] = $"AADSTS{code}: {description}",
            ["error_codes"] = new JsonArray(code),
            ["timestamp"] = TimeProvider.GetUtcNow().ToString("yyyy-MM-dd HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture),
            ["trace_id"] = Guid.NewGuid().ToString(),
            ["correlation_id"] = Guid.NewGuid().ToString(),
        });

    private AppRegistration App(string clientId, string? tenantId) =>
        _apps.GetOrAdd(clientId, id => new AppRegistration(tenantId ?? TenantId, id));

    // ================================================================== IMDS

    private async Task HandleImdsCoreAsync(HttpContext context)
    {
        var request = context.Request;
        if (!HttpMethods.IsGet(request.Method) || !string.Equals(request.Path.Value, "/metadata/identity/oauth2/token", StringComparison.Ordinal))
        {
            await ImdsErrorAsync(context, 404, "not_found", "The requested IMDS path is not served by the sandbox.").ConfigureAwait(false);
            return;
        }

        if (!string.Equals(request.Headers["Metadata"].ToString(), "true", StringComparison.OrdinalIgnoreCase))
        {
            await ImdsErrorAsync(context, 400, "invalid_request", "Required metadata header not specified").ConfigureAwait(false);
            return;
        }

        var resource = request.Query["resource"].ToString();
        if (string.IsNullOrEmpty(request.Query["api-version"]) || resource.Length == 0)
        {
            await ImdsErrorAsync(context, 400, "invalid_request", resource.Length == 0 ? "Required query variable 'resource' is missing" : "Required query variable 'api-version' is missing").ConfigureAwait(false);
            return;
        }

        var clientId = request.Query["client_id"].ToString();
        string? identity = clientId.Length > 0
            ? (_userAssignedIdentities.ContainsKey(clientId) || string.Equals(clientId, SystemAssignedClientId, StringComparison.OrdinalIgnoreCase) ? clientId : null)
            : SystemAssignedClientId;
        if (identity is null)
        {
            await ImdsErrorAsync(context, 400, "invalid_request", "Identity not found").ConfigureAwait(false);
            return;
        }

        var (token, lifetime) = Issue(TenantId, resource, identity);
        var now = TimeProvider.GetUtcNow();
        var seconds = ((long)lifetime.TotalSeconds).ToString(System.Globalization.CultureInfo.InvariantCulture);
        await JsonAsync(context, 200, new JsonObject
        {
            ["access_token"] = token,
            ["client_id"] = identity,
            ["expires_in"] = seconds,
            ["expires_on"] = (now + lifetime).ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["ext_expires_in"] = seconds,
            ["not_before"] = now.ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["resource"] = resource,
            ["token_type"] = "Bearer",
        }).ConfigureAwait(false);
    }

    private static Task ImdsErrorAsync(HttpContext context, int status, string error, string description) =>
        JsonAsync(context, status, new JsonObject { ["error"] = error, ["error_description"] = description });

    private static async Task JsonAsync(HttpContext context, int status, JsonNode body)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json; charset=utf-8";
        await context.Response.WriteAsync(body.ToJsonString()).ConfigureAwait(false);
    }
}
