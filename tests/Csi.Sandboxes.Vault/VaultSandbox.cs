using System.Security.Cryptography.X509Certificates;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using Csi.Sandboxes.Common;
using Csi.Sandboxes.Vault.Internal;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Https;

namespace Csi.Sandboxes.Vault;

/// <summary>
/// A loopback HTTP(S) server speaking HashiCorp Vault's public API, for tests: clients talk to it over a real
/// socket and get Vault's status codes, shapes and error messages. Seed it, point the code under test at
/// <see cref="Address"/>, inject faults, then inspect <see cref="RequestLog"/>.
/// </summary>
public sealed class VaultSandbox : IAsyncDisposable
{
    private static readonly JsonSerializerOptions JsonOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private readonly VaultCore _core;
    private readonly FaultInjector _faults = new();
    private readonly RequestLog _log = new();
    private readonly TextWriter? _console;
    private readonly Lock _consoleGate = new();
    private readonly bool _ownsIssuer;
    private LoopbackServer? _server;

    private VaultSandbox(VaultSandboxOptions options, ServiceAccountTokenIssuer issuer, bool ownsIssuer)
    {
        TokenIssuer = issuer;
        _ownsIssuer = ownsIssuer;
        TimeProvider = options.TimeProvider;
        _console = options.RequestLogWriter;
        _core = new VaultCore(options.TimeProvider, issuer, options.RootToken ?? "hvs." + VaultText.Random(24), options.Version);
        if (options.MountDefaultKvV2)
        {
            EnableKvV2("secret");
        }
    }

    /// <summary>The base address, e.g. <c>http://127.0.0.1:41234/</c>; requests go to <c>{Address}v1/...</c>.</summary>
    public Uri Address => _server?.BaseAddress ?? throw new InvalidOperationException("not started");

    /// <summary>A root token (policy <c>root</c>, never expires) valid in every namespace.</summary>
    public string RootToken => _core.RootToken;

    /// <summary>The Kubernetes token signer trusted by kubernetes and jwt auth mounts unless configured otherwise.</summary>
    public ServiceAccountTokenIssuer TokenIssuer { get; }

    /// <summary>The server certificate when serving HTTPS (trust it in the client), otherwise null.</summary>
    public X509Certificate2? ServerCertificate => _server?.ServerCertificate;

    /// <summary>The sandbox clock.</summary>
    public TimeProvider TimeProvider { get; }

    /// <summary>Starts a sandbox listening on loopback.</summary>
    public static async Task<VaultSandbox> StartAsync(VaultSandboxOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= new VaultSandboxOptions();
        var ownsIssuer = options.TokenIssuer is null;
        var issuer = options.TokenIssuer ?? new ServiceAccountTokenIssuer(timeProvider: options.TimeProvider);
        var sandbox = new VaultSandbox(options, issuer, ownsIssuer);
        try
        {
            var trusted = options.TrustedClientCertificateAuthorities.ToArray();
            var serverOptions = new LoopbackServerOptions
            {
                Address = options.ListenAddress,
                Port = options.Port,
                UseHttps = options.UseTls || options.TlsCertificate is not null,
                ServerCertificate = options.TlsCertificate,
                ClientCertificateMode = options.RequireClientCertificate ? ClientCertificateMode.RequireCertificate : ClientCertificateMode.NoCertificate,
                ClientCertificateValidation = options.RequireClientCertificate
                    ? (cert, _, _) => SandboxCertificates.ChainsTo(cert, trusted)
                    : null,
            };
            sandbox._server = await LoopbackServer.StartAsync(sandbox.HandleAsync, serverOptions, cancellationToken).ConfigureAwait(false);
            return sandbox;
        }
        catch
        {
            await sandbox.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    // ================================================================== namespaces

    /// <summary>Creates a namespace (and its parents), e.g. <c>ns1</c> or <c>ns1/team</c>.</summary>
    public void CreateNamespace(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        lock (_core.Gate)
        {
            _core.CreateNamespace(path);
        }
    }

    // ================================================================== KV

    /// <summary>Mounts a KV version 1 engine at <paramref name="path"/>.</summary>
    public void EnableKvV1(string path, string? vaultNamespace = null) =>
        Locked(() => _core.Mount(vaultNamespace, path, p => new KvEngine(p, 1, TimeProvider)));

    /// <summary>Mounts a KV version 2 engine at <paramref name="path"/> (<c>max_versions</c> 0 means 10).</summary>
    public void EnableKvV2(string path, string? vaultNamespace = null, int maxVersions = 0, bool casRequired = false) =>
        Locked(() => _core.Mount(vaultNamespace, path, p => new KvEngine(p, 2, TimeProvider, maxVersions, casRequired)));

    /// <summary>Writes string values; returns the new version (KV v2) or 0 (KV v1).</summary>
    public int WriteSecret(string mount, string path, IReadOnlyDictionary<string, string> data, string? vaultNamespace = null)
    {
        ArgumentNullException.ThrowIfNull(data);
        var obj = new JsonObject();
        foreach (var (k, v) in data)
        {
            obj[k] = v;
        }

        return WriteSecret(mount, path, obj, vaultNamespace);
    }

    /// <summary>Writes arbitrary JSON values; returns the new version (KV v2) or 0 (KV v1).</summary>
    public int WriteSecret(string mount, string path, JsonObject data, string? vaultNamespace = null)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        return Locked(() => _core.GetEngine<KvEngine>(vaultNamespace, mount).Write(path.Trim('/'), data));
    }

    /// <summary>Reads a secret's data (a copy); null when absent, deleted or destroyed.</summary>
    public JsonObject? ReadSecret(string mount, string path, int? version = null, string? vaultNamespace = null) =>
        Locked(() => _core.GetEngine<KvEngine>(vaultNamespace, mount).Read(path.Trim('/'), version));

    /// <summary>KV v1: removes the secret. KV v2: soft-deletes the latest version (like <c>DELETE data/...</c>).</summary>
    public bool DeleteSecret(string mount, string path, string? vaultNamespace = null) =>
        Locked(() => _core.GetEngine<KvEngine>(vaultNamespace, mount).Delete(path.Trim('/')));

    /// <summary>KV v2: soft-deletes the given versions.</summary>
    public void DeleteSecretVersions(string mount, string path, IEnumerable<int> versions, string? vaultNamespace = null) =>
        Locked(() => _core.GetEngine<KvEngine>(vaultNamespace, mount).DeleteVersions(path.Trim('/'), versions, destroy: false));

    /// <summary>KV v2: permanently destroys the given versions' data.</summary>
    public void DestroySecretVersions(string mount, string path, IEnumerable<int> versions, string? vaultNamespace = null) =>
        Locked(() => _core.GetEngine<KvEngine>(vaultNamespace, mount).DeleteVersions(path.Trim('/'), versions, destroy: true));

    /// <summary>Removes the secret with all versions and metadata.</summary>
    public bool DeleteSecretMetadata(string mount, string path, string? vaultNamespace = null) =>
        Locked(() => _core.GetEngine<KvEngine>(vaultNamespace, mount).DeleteMetadata(path.Trim('/')));

    /// <summary>KV v2: the current version number; null when the secret does not exist (or the mount is KV v1).</summary>
    public int? GetCurrentVersion(string mount, string path, string? vaultNamespace = null) =>
        Locked(() => _core.GetEngine<KvEngine>(vaultNamespace, mount).CurrentVersion(path.Trim('/')));

    // ================================================================== dynamic secrets

    /// <summary>Mounts a database secrets engine: <c>GET &lt;path&gt;/creds/&lt;role&gt;</c> mints credentials.</summary>
    public void EnableDatabase(string path = "database", string? vaultNamespace = null) =>
        Locked(() => _core.Mount(vaultNamespace, path, p => new DatabaseEngine(p)));

    /// <summary>Adds or replaces a database role.</summary>
    public void WriteDatabaseRole(string mount, VaultDatabaseRole role, string? vaultNamespace = null)
    {
        ArgumentNullException.ThrowIfNull(role);
        Locked(() => _core.GetEngine<DatabaseEngine>(vaultNamespace, mount).Roles[role.Name] = role);
    }

    /// <summary>Usernames the database engine has handed out, oldest first.</summary>
    public IReadOnlyList<string> GetIssuedDatabaseUsernames(string mount = "database", string? vaultNamespace = null) =>
        Locked(() => _core.GetEngine<DatabaseEngine>(vaultNamespace, mount).IssuedUsernames.ToArray());

    /// <summary>Mounts a PKI engine with its own in-memory root CA.</summary>
    public void EnablePki(string path = "pki", string? vaultNamespace = null) =>
        Locked(() => _core.Mount(vaultNamespace, path, p => new PkiEngine(p, TimeProvider)));

    /// <summary>Adds or replaces a PKI role.</summary>
    public void WritePkiRole(string mount, VaultPkiRole role, string? vaultNamespace = null)
    {
        ArgumentNullException.ThrowIfNull(role);
        Locked(() => _core.GetEngine<PkiEngine>(vaultNamespace, mount).Roles[role.Name] = role);
    }

    /// <summary>The PKI mount's CA certificate (public part only).</summary>
    public X509Certificate2 GetPkiAuthority(string mount = "pki", string? vaultNamespace = null) =>
        Locked(() => X509CertificateLoader.LoadCertificate(_core.GetEngine<PkiEngine>(vaultNamespace, mount).Authority.RawData));

    /// <summary>Mounts a generic engine reporting <paramref name="mountType"/>; its paths are set with <see cref="SetGenericSecret(string, string, VaultGenericSecret, string?)"/>.</summary>
    public void EnableGenericEngine(string path, string mountType = "generic", string? vaultNamespace = null) =>
        Locked(() => _core.Mount(vaultNamespace, path, p => new GenericEngine(p, mountType)));

    /// <summary>Makes <paramref name="path"/> (below the mount) answer with fixed data.</summary>
    public void SetGenericSecret(string mount, string path, VaultGenericSecret secret, string? vaultNamespace = null)
    {
        ArgumentNullException.ThrowIfNull(secret);
        SetGenericSecret(mount, path, _ => secret, vaultNamespace);
    }

    /// <summary>Makes <paramref name="path"/> (below the mount) answer with whatever <paramref name="factory"/> returns (null: 404).</summary>
    public void SetGenericSecret(string mount, string path, Func<VaultGenericRequest, VaultGenericSecret?> factory, string? vaultNamespace = null)
    {
        ArgumentNullException.ThrowIfNull(factory);
        ArgumentNullException.ThrowIfNull(path);
        Locked(() => _core.GetEngine<GenericEngine>(vaultNamespace, mount).Paths[path.Trim('/')] = factory);
    }

    // ================================================================== auth

    /// <summary>Enables a kubernetes auth method; by default it trusts <see cref="TokenIssuer"/>'s key.</summary>
    public void EnableKubernetesAuth(string path = "kubernetes", string? vaultNamespace = null, KubernetesAuthSettings? settings = null) =>
        Locked(() => _core.EnableAuth(vaultNamespace, path, "kubernetes").Kubernetes = settings ?? new KubernetesAuthSettings());

    /// <summary>Enables a jwt auth method; by default it trusts <see cref="TokenIssuer"/>'s key.</summary>
    public void EnableJwtAuth(string path = "jwt", string? vaultNamespace = null, JwtAuthSettings? settings = null) =>
        Locked(() => _core.EnableAuth(vaultNamespace, path, "jwt").Jwt = settings ?? new JwtAuthSettings());

    /// <summary>Adds or replaces a role on an auth mount. Validation follows the plugin (e.g. kubernetes roles need bound names and namespaces).</summary>
    public void WriteAuthRole(string authMount, VaultAuthRole role, string? vaultNamespace = null)
    {
        ArgumentNullException.ThrowIfNull(role);
        Locked(() =>
        {
            var mount = _core.GetAuthMount(vaultNamespace, authMount);
            VaultCore.ValidateRole(mount, role);
            mount.Roles[role.Name.ToLowerInvariant()] = role;
        });
    }

    /// <summary>Removes a role.</summary>
    public bool DeleteAuthRole(string authMount, string roleName, string? vaultNamespace = null)
    {
        ArgumentNullException.ThrowIfNull(roleName);
        return Locked(() => _core.GetAuthMount(vaultNamespace, authMount).Roles.Remove(roleName.ToLowerInvariant()));
    }

    /// <summary>Mints a projected service-account JWT with <see cref="TokenIssuer"/>.</summary>
    public string MintServiceAccountToken(string kubernetesNamespace, string serviceAccountName, string audience, TimeSpan? lifetime = null) =>
        TokenIssuer.Mint(kubernetesNamespace, serviceAccountName, audience, lifetime);

    // ================================================================== policies and tokens

    /// <summary>Defines an ACL policy as path rules (Vault's HCL policies, without HCL).</summary>
    public void WritePolicy(string name, IEnumerable<VaultPolicyRule> rules, string? vaultNamespace = null)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(rules);
        var list = rules.ToArray();
        Locked(() => _core.WritePolicy(vaultNamespace, name, list));
    }

    /// <summary>Creates a service token with the given policies (plus <c>default</c>), as <c>auth/token/create</c> would.</summary>
    public string CreateToken(IEnumerable<string> policies, TimeSpan? ttl = null, string? vaultNamespace = null, bool renewable = true)
    {
        ArgumentNullException.ThrowIfNull(policies);
        var list = policies.ToArray();
        return Locked(() =>
        {
            var ns = _core.GetNamespace(vaultNamespace);
            var effectiveTtl = ttl ?? TimeSpan.FromHours(768);
            return _core.CreateToken(ns, list, addDefault: true, effectiveTtl, TimeSpan.FromHours(768) > effectiveTtl ? TimeSpan.FromHours(768) : effectiveTtl, "token", "auth/token/create", null, renewable, string.Empty).Id;
        });
    }

    /// <summary>Revokes a token; true when it existed.</summary>
    public bool RevokeToken(string token) => Locked(() => _core.RevokeToken(token));

    /// <summary>True when the token exists and has not expired.</summary>
    public bool IsTokenValid(string token) => Locked(() => _core.LookupToken(token) is not null);

    // ================================================================== faults

    /// <summary>
    /// The next <paramref name="count"/> requests whose path (after <c>/v1/</c>, namespace prefix included) starts with
    /// <paramref name="pathPrefix"/> get <paramref name="statusCode"/> with <c>{"errors":[message]}</c>.
    /// </summary>
    public void FailNextRequests(string pathPrefix, int count, int statusCode = 500, string? errorMessage = null, string? method = null)
    {
        ArgumentNullException.ThrowIfNull(pathPrefix);
        _faults.AddFailure(pathPrefix, method, count, statusCode, errorMessage);
    }

    /// <summary>The next <paramref name="count"/> matching requests are answered only after <paramref name="delay"/>.</summary>
    public void DelayNextRequests(string pathPrefix, int count, TimeSpan delay, string? method = null)
    {
        ArgumentNullException.ThrowIfNull(pathPrefix);
        _faults.AddDelay(pathPrefix, method, count, delay);
    }

    /// <summary>Forgets pending injected failures and delays.</summary>
    public void ClearFaults() => _faults.Clear();

    /// <summary>While true, connections are reset (new ones before TLS/HTTP, existing ones on their next request).</summary>
    public bool DropConnections
    {
        get => _server?.DropConnections ?? false;
        set
        {
            if (_server is not null)
            {
                _server.DropConnections = value;
            }
        }
    }

    /// <summary>Closes the listener: connections are refused until <see cref="ResumeAcceptingConnectionsAsync"/>. State is kept.</summary>
    public Task StopAcceptingConnectionsAsync(CancellationToken cancellationToken = default) =>
        _server?.StopAsync(cancellationToken) ?? Task.CompletedTask;

    /// <summary>Listens again on the same address and port.</summary>
    public Task ResumeAcceptingConnectionsAsync(CancellationToken cancellationToken = default) =>
        _server?.RestartAsync(cancellationToken) ?? Task.CompletedTask;

    /// <summary>True while sealed: <c>sys/health</c> answers 503 and every other request 503 <c>Vault is sealed</c>.</summary>
    public bool IsSealed => Locked(() => _core.Sealed);

    public void Seal() => Locked(() => _core.Sealed = true);

    public void Unseal() => Locked(() => _core.Sealed = false);

    // ================================================================== request log

    /// <summary>Every request answered so far (method, path, namespace, status), oldest first.</summary>
    public IReadOnlyList<VaultRequestLogEntry> RequestLog => _log.Snapshot();

    /// <summary>
    /// Counts logged requests matching all given filters. <paramref name="pathPrefix"/> is compared with the path after
    /// <c>/v1/</c> (a leading <c>/v1/</c> in the filter is ignored); <paramref name="vaultNamespace"/> with the resolved namespace.
    /// </summary>
    public int CountRequests(string? method = null, string? pathPrefix = null, int? statusCode = null, string? vaultNamespace = null)
    {
        var prefix = pathPrefix?.TrimStart('/');
        if (prefix is not null && prefix.StartsWith("v1/", StringComparison.Ordinal))
        {
            prefix = prefix[3..];
        }

        var ns = vaultNamespace is null ? null : VaultCore.NormalizeNamespace(vaultNamespace);
        return _log.Snapshot().Count(e =>
            (method is null || string.Equals(e.Method, method, StringComparison.OrdinalIgnoreCase))
            && (prefix is null || e.Path.TrimStart('/').StartsWith("v1/" + prefix, StringComparison.Ordinal))
            && (statusCode is null || e.StatusCode == statusCode)
            && (ns is null || string.Equals(e.Namespace, ns, StringComparison.Ordinal)));
    }

    public void ClearRequestLog() => _log.Clear();

    // ================================================================== seed

    /// <summary>Applies a seed document (see README) to this sandbox.</summary>
    public void ApplySeed(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        VaultSeed.Apply(this, json);
    }

    public async ValueTask DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync().ConfigureAwait(false);
        }

        lock (_core.Gate)
        {
            _core.Dispose();
        }

        if (_ownsIssuer)
        {
            TokenIssuer.Dispose();
        }
    }

    // ================================================================== HTTP

    private async Task HandleAsync(HttpContext context)
    {
        var request = context.Request;
        var method = request.Method.ToUpperInvariant();
        var rawPath = request.Path.Value ?? "/";
        var namespaceHeader = request.Headers["X-Vault-Namespace"].ToString();
        var token = request.Headers["X-Vault-Token"].ToString();
        if (token.Length == 0)
        {
            var authorization = request.Headers.Authorization.ToString();
            if (authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
            {
                token = authorization[7..].Trim();
            }
        }

        var delay = _faults.TakeDelay(method, rawPath);
        if (delay > TimeSpan.Zero)
        {
            try
            {
                await Task.Delay(delay, context.RequestAborted).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }

        VaultResponse response;
        string resolvedNamespace;
        if (_faults.TakeFailure(method, rawPath) is { } injected)
        {
            response = injected;
            resolvedNamespace = VaultCore.NormalizeNamespace(namespaceHeader);
        }
        else
        {
            var (body, bodyError) = await ReadBodyAsync(request, context.RequestAborted).ConfigureAwait(false);
            try
            {
                (response, resolvedNamespace) = _core.Process(new IncomingRequest
                {
                    Method = method,
                    RawPath = rawPath,
                    Query = request.Query.ToDictionary(q => q.Key, q => q.Value.ToString(), StringComparer.Ordinal),
                    NamespaceHeader = namespaceHeader.Length > 0 ? namespaceHeader : null,
                    Token = token.Length > 0 ? token : null,
                    Body = body,
                    BodyError = bodyError,
                });
            }
            catch (Exception e) when (e is InvalidOperationException or ArgumentException or FormatException or System.Security.Cryptography.CryptographicException or KeyNotFoundException)
            {
                // A sandbox bug or a factory that threw: answer like Vault's ErrInternalError and say why on the log writer.
                response = VaultResponse.Error(500, "internal error");
                resolvedNamespace = VaultCore.NormalizeNamespace(namespaceHeader);
                LogLine($"sandbox error handling {method} {rawPath}: {e.GetType().Name}: {e.Message}");
            }
        }

        _log.Add(new VaultRequestLogEntry(
            DateTimeOffset.UtcNow,
            method,
            rawPath,
            namespaceHeader.Length > 0 ? namespaceHeader : null,
            resolvedNamespace,
            response.Status,
            token.Length > 0,
            response.Injected));
        LogLine($"{method} {rawPath}{(resolvedNamespace.Length > 0 ? " ns=" + resolvedNamespace : string.Empty)} -> {response.Status}{(response.Injected ? " (injected)" : string.Empty)}");

        await WriteAsync(context.Response, response, context.RequestAborted).ConfigureAwait(false);
    }

    private void LogLine(string line)
    {
        if (_console is null)
        {
            return;
        }

        lock (_consoleGate)
        {
            _console.WriteLine($"{DateTimeOffset.UtcNow:HH:mm:ss.fff} {line}");
        }
    }

    private static async Task<(JsonObject? Body, string? Error)> ReadBodyAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        if (request.ContentLength == 0)
        {
            return (null, null);
        }

        using var buffer = new MemoryStream();
        await request.Body.CopyToAsync(buffer, cancellationToken).ConfigureAwait(false);
        if (buffer.Length == 0)
        {
            return (null, null);
        }

        try
        {
            var node = JsonNode.Parse(buffer.ToArray());
            return node switch
            {
                JsonObject o => (o, null),
                null => (null, null),
                _ => (null, $"json: cannot unmarshal {node.GetValueKind().ToString().ToLowerInvariant()} into Go value of type map[string]interface {{}}"),
            };
        }
        catch (JsonException e)
        {
            return (null, e.Message);
        }
    }

    private static async Task WriteAsync(HttpResponse http, VaultResponse response, CancellationToken cancellationToken)
    {
        http.StatusCode = response.Status;
        http.Headers.CacheControl = "no-store";
        if (response.Status == 204)
        {
            return;
        }

        if (response.ContentType is not null)
        {
            http.ContentType = response.ContentType;
        }

        var text = response.Json is not null ? response.Json.ToJsonString(JsonOptions) + "\n" : response.Raw ?? string.Empty;
        if (text.Length > 0)
        {
            await http.WriteAsync(text, cancellationToken).ConfigureAwait(false);
        }
    }

    private T Locked<T>(Func<T> action)
    {
        lock (_core.Gate)
        {
            return action();
        }
    }

    private void Locked(Action action)
    {
        lock (_core.Gate)
        {
            action();
        }
    }
}
