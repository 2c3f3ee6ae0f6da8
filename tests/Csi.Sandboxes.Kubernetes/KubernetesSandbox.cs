using System.Net;
using System.Reflection;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json.Nodes;
using Csi.Sandboxes.Common;
using Csi.Sandboxes.Kubernetes.Internal;
using k8s;
using k8s.Models;

namespace Csi.Sandboxes.Kubernetes;

/// <summary>
/// A loopback HTTP(S) server that behaves like kube-apiserver for tests: real sockets, bearer-token authentication,
/// the REST verbs with their status codes and <c>Status</c> bodies, selectors, patches, watches from a
/// resourceVersion, custom resources from CRD manifests, garbage collection, fault injection and a request log.
/// Point a real <see cref="k8s.Kubernetes"/> client at it with <see cref="ClientConfiguration"/>; seed and inspect
/// objects directly with the methods below. See README.md for what it does not do.
/// </summary>
public sealed class KubernetesSandbox : IAsyncDisposable
{
    private readonly ClusterState _state;
    private readonly FaultInjector _faults = new();
    private readonly Internal.RequestLog _log = new();
    private readonly GarbageCollector _collector;
    private readonly Lock _tokenGate = new();
    private readonly Dictionary<string, string> _tokens = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _stopping = new();
    private readonly KubernetesSandboxOptions _options;
    private readonly bool _ownsIssuer;
    private readonly X509Certificate2? _authority;
    private readonly X509Certificate2? _ownedServerCertificate;
    private Task? _bookmarks;
    private LoopbackServer? _server;
    private bool _disposed;

    private KubernetesSandbox(KubernetesSandboxOptions options, ServiceAccountTokenIssuer issuer, bool ownsIssuer, X509Certificate2? authority, X509Certificate2? serverCertificate)
    {
        _options = options;
        TokenIssuer = issuer;
        _ownsIssuer = ownsIssuer;
        _authority = authority;
        _ownedServerCertificate = serverCertificate;
        Token = options.Token ?? "sandbox-" + Guid.NewGuid().ToString("N");
        UserName = options.UserName;
        _tokens[Token] = UserName;
        _state = new ClusterState(options.TimeProvider, options.WatchCacheSize, options.RequireNamespaces, options.InitialResourceVersion);
        _collector = new GarbageCollector(_state, options.EnableGarbageCollector);
        _state.GarbageCollectionNeeded = _collector.Signal;
        _state.EmulateVolumeControllers = options.EmulateVolumeControllers;
        _state.SchedulerNodeName = options.SchedulerNodeName;
    }

    /// <summary>The base address, e.g. <c>https://127.0.0.1:41234/</c>.</summary>
    public Uri Address => _server?.BaseAddress ?? throw new InvalidOperationException("not started");

    /// <summary>The bearer token the sandbox requires (401 without it).</summary>
    public string Token { get; }

    /// <summary>The user <see cref="Token"/> authenticates as.</summary>
    public string UserName { get; }

    /// <summary>The cluster CA that issued the serving certificate (public part); null over plain HTTP or with a supplied certificate.</summary>
    public X509Certificate2? CertificateAuthority => _authority is null ? null : X509CertificateLoader.LoadCertificate(_authority.RawData);

    /// <summary>The serving certificate when TLS is on.</summary>
    public X509Certificate2? ServerCertificate => _server?.ServerCertificate;

    /// <summary>Signs TokenRequest tokens; JWTs it signs for audience <see cref="ServiceAccountTokenIssuer.Issuer"/> authenticate as their service account.</summary>
    public ServiceAccountTokenIssuer TokenIssuer { get; }

    /// <summary>The cluster-wide resourceVersion of the last write.</summary>
    public ulong ResourceVersion => _state.ResourceVersion;

    /// <summary>Events retained per resource for watches and consistent lists; shrinking it drops the oldest.</summary>
    public int WatchCacheSize
    {
        get => _state.WindowSize;
        set => _state.WindowSize = value;
    }

    /// <summary>Turns the garbage collector and namespace controller on or off (to observe orphans, say).</summary>
    public bool GarbageCollectorEnabled
    {
        get => _collector.Enabled;
        set => _collector.Enabled = value;
    }

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

    /// <summary>Every answered request, oldest first.</summary>
    public IReadOnlyList<KubernetesRequestLogEntry> RequestLog => _log.Snapshot();

    /// <summary>Starts a sandbox listening on loopback, with namespaces default, kube-system, kube-public and kube-node-lease.</summary>
    public static async Task<KubernetesSandbox> StartAsync(KubernetesSandboxOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= new KubernetesSandboxOptions();
        ArgumentOutOfRangeException.ThrowIfNegative(options.WatchCacheSize);
        var ownsIssuer = options.TokenIssuer is null;
        var issuer = options.TokenIssuer ?? new ServiceAccountTokenIssuer(timeProvider: options.TimeProvider);
        X509Certificate2? authority = null;
        X509Certificate2? serverCertificate = options.TlsCertificate;
        X509Certificate2? ownedServerCertificate = null;
        if (options.UseTls && serverCertificate is null)
        {
            authority = SandboxCertificates.CreateCertificateAuthority("kubernetes-sandbox-ca");
            ownedServerCertificate = serverCertificate = SandboxCertificates.IssueCertificate(
                authority,
                "kube-apiserver",
                clientAuth: false,
                serverAuth: true,
                dnsNames: ["localhost", "kubernetes", "kubernetes.default", "kubernetes.default.svc", "kubernetes.default.svc.cluster.local"],
                ipAddresses: [IPAddress.Loopback, IPAddress.IPv6Loopback]);
        }

        var sandbox = new KubernetesSandbox(options, issuer, ownsIssuer, authority, ownedServerCertificate);
        try
        {
            var api = new ApiServer(sandbox._state, sandbox._faults, sandbox._log, issuer, options, sandbox.FindUser, sandbox._stopping.Token);
            var serverOptions = new LoopbackServerOptions
            {
                Address = options.ListenAddress,
                Port = options.Port,
                UseHttps = serverCertificate is not null,
                ServerCertificate = serverCertificate,
            };
            sandbox._server = await LoopbackServer.StartAsync(api.HandleAsync, serverOptions, cancellationToken).ConfigureAwait(false);
            sandbox._bookmarks = Task.Run(() => sandbox.SendBookmarksAsync(options.BookmarkInterval), CancellationToken.None);
            return sandbox;
        }
        catch
        {
            await sandbox.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    // ================================================================== clients

    /// <summary>
    /// A configuration for a real <see cref="k8s.Kubernetes"/> client: host, bearer token (this sandbox's unless
    /// <paramref name="token"/> is given; pass an empty string for none), the CA to trust, namespace <c>default</c>.
    /// </summary>
    public KubernetesClientConfiguration ClientConfiguration(string? token = null)
    {
        var config = new KubernetesClientConfiguration
        {
            Host = Address.ToString().TrimEnd('/'),
            AccessToken = token ?? Token,
            Namespace = "default",
        };
        if (string.IsNullOrEmpty(config.AccessToken))
        {
            config.AccessToken = null;
        }

        if (_server?.ServerCertificate is { } serving)
        {
            config.SslCaCerts = [X509CertificateLoader.LoadCertificate((_authority ?? serving).RawData)];
        }

        return config;
    }

    /// <summary>A kubeconfig document (YAML) for kubectl-like tools, with the CA inlined.</summary>
    public string Kubeconfig(string? token = null)
    {
        var sb = new StringBuilder();
        sb.Append("apiVersion: v1\nkind: Config\nclusters:\n- name: sandbox\n  cluster:\n    server: ").Append(Address.ToString().TrimEnd('/')).Append('\n');
        if (_server?.ServerCertificate is { } serving)
        {
            var pem = (_authority ?? serving).ExportCertificatePem();
            sb.Append("    certificate-authority-data: ").Append(Convert.ToBase64String(Encoding.ASCII.GetBytes(pem))).Append('\n');
        }

        sb.Append("contexts:\n- name: sandbox\n  context:\n    cluster: sandbox\n    user: sandbox\n    namespace: default\ncurrent-context: sandbox\n");
        sb.Append("users:\n- name: sandbox\n  user:\n    token: ").Append(token ?? Token).Append('\n');
        return sb.ToString();
    }

    /// <summary>Writes <see cref="Kubeconfig"/> to a file named kubeconfig in <paramref name="directory"/> and returns its path.</summary>
    public string WriteKubeconfig(string directory)
    {
        var path = Path.Combine(directory, "kubeconfig");
        File.WriteAllText(path, Kubeconfig());
        return path;
    }

    /// <summary>Accepts another bearer token, authenticating as <paramref name="userName"/>.</summary>
    public void AddToken(string token, string userName)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(token);
        ArgumentException.ThrowIfNullOrWhiteSpace(userName);
        lock (_tokenGate)
        {
            _tokens[token] = userName;
        }
    }

    /// <summary>Stops accepting a token (requests with it get 401).</summary>
    public void RevokeToken(string token)
    {
        lock (_tokenGate)
        {
            _tokens.Remove(token);
        }
    }

    // ================================================================== seeding and inspection

    /// <summary>
    /// A node where a CSI driver is registered, as kubelet leaves it: the Node, labelled with its name under
    /// <paramref name="topologyKey"/> and <c>kubernetes.io/hostname</c>, and its CSINode naming the driver, its node
    /// ID (the node's name) and that topology key.
    /// </summary>
    public void SeedCsiNode(string nodeName, string driverName, string topologyKey)
    {
        Seed(new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "Node",
            ["metadata"] = new JsonObject { ["name"] = nodeName, ["labels"] = new JsonObject { [topologyKey] = nodeName, ["kubernetes.io/hostname"] = nodeName } },
        });
        Seed(new JsonObject
        {
            ["apiVersion"] = "storage.k8s.io/v1",
            ["kind"] = "CSINode",
            ["metadata"] = new JsonObject { ["name"] = nodeName },
            ["spec"] = new JsonObject
            {
                ["drivers"] = new JsonArray(new JsonObject { ["name"] = driverName, ["nodeID"] = nodeName, ["topologyKeys"] = new JsonArray(topologyKey) }),
            },
        });
    }

    /// <summary>
    /// Creates or replaces an object (any served kind, any served version's form) without HTTP and without
    /// admission: no schema validation, no status reset; defaults, uid, timestamps and a new resourceVersion are set,
    /// watches see ADDED or MODIFIED, and a missing namespace is created. Returns the stored object.
    /// </summary>
    public JsonObject Seed(JsonObject obj)
    {
        ArgumentNullException.ThrowIfNull(obj);
        var apiVersion = JsonText.GetString(obj, "apiVersion") ?? throw new ArgumentException("object has no apiVersion", nameof(obj));
        var kind = JsonText.GetString(obj, "kind") ?? throw new ArgumentException("object has no kind", nameof(obj));
        var view = View(apiVersion, kind);
        return view.RenderObject(Translate(() => _state.Seed(obj)));
    }

    /// <summary>Seeds a typed object (apiVersion and kind default from the model's <c>KubernetesEntity</c> attribute).</summary>
    public T Seed<T>(T obj)
        where T : class, IKubernetesObject
    {
        ArgumentNullException.ThrowIfNull(obj);
        return KubernetesJson.Deserialize<T>(Seed(ToJson(obj)).ToJsonString());
    }

    /// <summary>Seeds many objects under one lock (fast: thousands per second). Returns how many were stored.</summary>
    public int SeedMany(IEnumerable<JsonObject> objects)
    {
        ArgumentNullException.ThrowIfNull(objects);
        return Translate(() => _state.SeedMany(objects));
    }

    /// <summary>Seeds many typed objects under one lock.</summary>
    public int SeedMany<T>(IEnumerable<T> objects)
        where T : class, IKubernetesObject
    {
        ArgumentNullException.ThrowIfNull(objects);
        return SeedMany(objects.Select(ToJson));
    }

    /// <summary>
    /// Seeds every object of a JSON or (multi-document) YAML manifest; CustomResourceDefinitions and Namespaces go
    /// first so the rest can use them. Returns the stored objects.
    /// </summary>
    public IReadOnlyList<JsonObject> SeedManifest(string yamlOrJson)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(yamlOrJson);
        var objects = Translate(() => ManifestReader.ReadObjects(yamlOrJson));
        return objects
            .OrderBy(o => JsonText.GetString(o, "kind") switch { "CustomResourceDefinition" => 0, "Namespace" => 1, _ => 2 })
            .Select(Seed)
            .ToList();
    }

    /// <summary>
    /// Registers the CustomResourceDefinitions in a manifest (YAML or JSON, apiextensions.k8s.io/v1): their
    /// resources are served, listed in discovery and validated against their schemas at once. Returns their names.
    /// </summary>
    public IReadOnlyList<string> RegisterCustomResourceDefinition(string yamlOrJson)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(yamlOrJson);
        var definitions = Translate(() => ManifestReader.ReadObjects(yamlOrJson))
            .Where(o => JsonText.GetString(o, "kind") == "CustomResourceDefinition")
            .ToList();
        if (definitions.Count == 0)
        {
            throw new ArgumentException("the manifest holds no CustomResourceDefinition", nameof(yamlOrJson));
        }

        return definitions.Select(d => JsonText.GetString(Seed(d), "metadata", "name")!).ToList();
    }

    /// <summary>An object in <paramref name="apiVersion"/>'s form, or null. A namespaced kind's namespace defaults to <c>default</c>.</summary>
    public JsonObject? Get(string apiVersion, string kind, string name, string? @namespace = null)
    {
        var view = View(apiVersion, kind);
        var stored = _state.TryGet(view, view.Namespaced ? @namespace ?? "default" : null, name);
        return stored is null ? null : view.RenderObject(stored);
    }

    /// <summary>A typed object, or null.</summary>
    public T? Get<T>(string name, string? @namespace = null)
        where T : class, IKubernetesObject
    {
        var (apiVersion, kind) = TypeMeta<T>();
        var obj = Get(apiVersion, kind, name, @namespace);
        return obj is null ? null : KubernetesJson.Deserialize<T>(obj.ToJsonString());
    }

    /// <summary>Objects of a kind (all namespaces when <paramref name="namespace"/> is null), optionally filtered by selectors.</summary>
    public IReadOnlyList<JsonObject> List(string apiVersion, string kind, string? @namespace = null, string? labelSelector = null, string? fieldSelector = null)
    {
        var view = View(apiVersion, kind);
        var query = new ListQuery(LabelSelector.Parse(labelSelector), FieldSelector.Parse(fieldSelector), null, null, null, null);
        return Translate(() => _state.List(view, view.Namespaced ? @namespace : null, query)).Items.Select(view.RenderObject).ToList();
    }

    /// <summary>Typed objects of a kind.</summary>
    public IReadOnlyList<T> List<T>(string? @namespace = null, string? labelSelector = null, string? fieldSelector = null)
        where T : class, IKubernetesObject
    {
        var (apiVersion, kind) = TypeMeta<T>();
        return List(apiVersion, kind, @namespace, labelSelector, fieldSelector).Select(o => KubernetesJson.Deserialize<T>(o.ToJsonString())).ToList();
    }

    /// <summary>How many objects of a kind exist (in a namespace, or everywhere).</summary>
    public int Count(string apiVersion, string kind, string? @namespace = null)
    {
        var view = View(apiVersion, kind);
        return _state.Snapshot(view, view.Namespaced ? @namespace : null).Count;
    }

    /// <summary>
    /// Deletes as the API would (finalizers mark instead of delete; owners' dependents follow via garbage collection).
    /// False when the object does not exist.
    /// </summary>
    public bool Delete(string apiVersion, string kind, string name, string? @namespace = null, string propagationPolicy = "Background")
    {
        var view = View(apiVersion, kind);
        try
        {
            _state.Delete(view, view.Namespaced ? @namespace ?? "default" : null, name, new DeleteOptions(propagationPolicy));
            return true;
        }
        catch (ApiException e) when (e.Code == 404)
        {
            return false;
        }
        catch (ApiException e)
        {
            throw new InvalidOperationException(e.Message, e);
        }
    }

    /// <summary>Deletes a typed object.</summary>
    public bool Delete<T>(string name, string? @namespace = null, string propagationPolicy = "Background")
        where T : class, IKubernetesObject
    {
        var (apiVersion, kind) = TypeMeta<T>();
        return Delete(apiVersion, kind, name, @namespace, propagationPolicy);
    }

    /// <summary>Completes once the garbage collector has caught up with every change made before the call.</summary>
    public Task WaitForGarbageCollectionAsync(CancellationToken cancellationToken = default) => _collector.WaitAsync(cancellationToken);

    /// <summary>
    /// Waits until the background controllers (garbage collector, namespace controller and, with
    /// <see cref="KubernetesSandboxOptions.EmulateVolumeControllers"/>, the volume controllers) have caught up with every
    /// change made before this call.
    /// </summary>
    public Task WaitForControllersAsync(CancellationToken cancellationToken = default) => _collector.WaitAsync(cancellationToken);

    // ================================================================== watches

    /// <summary>Open watches, optionally of one resource (plural, e.g. <c>pods</c>).</summary>
    public int ActiveWatchCount(string? resource = null) => _state.CountWatchers(resource);

    /// <summary>Waits until at least <paramref name="count"/> watches (of <paramref name="resource"/>) are open.</summary>
    public async Task WaitForWatchesAsync(int count, string? resource = null, TimeSpan? timeout = null, CancellationToken cancellationToken = default)
    {
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(timeout ?? TimeSpan.FromSeconds(10));
        while (ActiveWatchCount(resource) < count)
        {
            await Task.Delay(10, limit.Token).ConfigureAwait(false);
        }
    }

    /// <summary>Sends a BOOKMARK at the current resourceVersion to every watch that allows bookmarks, now.</summary>
    public void SendBookmarks() => _state.SendBookmarks();

    /// <summary>Ends every open watch cleanly, as an API server restart or a timeout would.</summary>
    public void EndWatches() => _state.EndWatches(expire: false);

    /// <summary>Sends every open watch an ERROR event with a 410 Expired Status, then ends it.</summary>
    public void ExpireWatches() => _state.EndWatches(expire: true);

    /// <summary>Forgets all retained events: watches and exact lists from any earlier resourceVersion get 410.</summary>
    public void CompactWatchCache() => _state.Compact();

    // ================================================================== faults

    /// <summary>
    /// The next <paramref name="count"/> requests matching every given filter are answered with
    /// <paramref name="statusCode"/> and the Status the API server would send (403 names user, verb, resource and
    /// namespace as an RBAC denial does; 429 carries Retry-After). <paramref name="resource"/> is a plural
    /// (<c>pods</c> also matches its subresources) or <c>resource/subresource</c>; <paramref name="verb"/> a
    /// Kubernetes verb (get, list, watch, create, update, patch, delete, deletecollection).
    /// </summary>
    public void FailNextRequests(int count, int statusCode, string? verb = null, string? resource = null, string? @namespace = null, string? name = null, TimeSpan? retryAfter = null, string? message = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(count);
        ArgumentOutOfRangeException.ThrowIfLessThan(statusCode, 400);
        _faults.Add(new FaultInjector.Rule(count, verb, resource, @namespace, name) { StatusCode = statusCode, RetryAfter = retryAfter, Message = message });
    }

    /// <summary>The next <paramref name="count"/> matching requests are answered only after <paramref name="delay"/>.</summary>
    public void DelayNextRequests(int count, TimeSpan delay, string? verb = null, string? resource = null, string? @namespace = null, string? name = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(count);
        _faults.Add(new FaultInjector.Rule(count, verb, resource, @namespace, name) { IsDelay = true, Delay = delay });
    }

    /// <summary>Forgets pending injected failures and delays.</summary>
    public void ClearFaults() => _faults.Clear();

    /// <summary>Closes the listener: connections are refused until <see cref="ResumeAcceptingConnectionsAsync"/>. State is kept.</summary>
    public Task StopAcceptingConnectionsAsync(CancellationToken cancellationToken = default) =>
        _server?.StopAsync(cancellationToken) ?? Task.CompletedTask;

    /// <summary>Listens again on the same address and port.</summary>
    public Task ResumeAcceptingConnectionsAsync(CancellationToken cancellationToken = default) =>
        _server?.RestartAsync(cancellationToken) ?? Task.CompletedTask;

    // ================================================================== request log

    /// <summary>Counts logged requests matching every given filter.</summary>
    public int CountRequests(
        string? verb = null,
        string? resource = null,
        string? @namespace = null,
        string? name = null,
        int? statusCode = null,
        string? subresource = null,
        string? userAgentContains = null,
        DateTimeOffset? since = null) =>
        CountRequests(e =>
            (verb is null || string.Equals(e.Verb, verb, StringComparison.OrdinalIgnoreCase))
            && (resource is null || e.Resource == resource)
            && (@namespace is null || e.Namespace == @namespace)
            && (name is null || e.Name == name)
            && (statusCode is null || e.StatusCode == statusCode)
            && (subresource is null || e.Subresource == subresource)
            && (userAgentContains is null || (e.UserAgent?.Contains(userAgentContains, StringComparison.Ordinal) ?? false))
            && (since is null || e.Time >= since));

    /// <summary>Counts logged requests matching <paramref name="predicate"/>.</summary>
    public int CountRequests(Func<KubernetesRequestLogEntry, bool> predicate)
    {
        ArgumentNullException.ThrowIfNull(predicate);
        return _log.Snapshot().Count(predicate);
    }

    /// <summary>
    /// The most matching requests that arrived within any sliding <paramref name="window"/> (for asserting a
    /// client's QPS and burst limits).
    /// </summary>
    public int MaxRequestsInWindow(TimeSpan window, Func<KubernetesRequestLogEntry, bool>? predicate = null)
    {
        var times = _log.Snapshot().Where(e => predicate?.Invoke(e) ?? true).Select(e => e.Time).Order().ToList();
        var best = 0;
        var start = 0;
        for (var end = 0; end < times.Count; end++)
        {
            while (times[end] - times[start] >= window)
            {
                start++;
            }

            best = Math.Max(best, end - start + 1);
        }

        return best;
    }

    /// <summary>Forgets the request log.</summary>
    public void ClearRequestLog() => _log.Clear();

    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        await _stopping.CancelAsync().ConfigureAwait(false);
        _state.EndWatches(expire: false);
        if (_server is not null)
        {
            await _server.DisposeAsync().ConfigureAwait(false);
        }

        if (_bookmarks is not null)
        {
            await _bookmarks.ConfigureAwait(false);
        }

        await _collector.DisposeAsync().ConfigureAwait(false);
        if (_ownsIssuer)
        {
            TokenIssuer.Dispose();
        }

        _ownedServerCertificate?.Dispose();
        _authority?.Dispose();
        _stopping.Dispose();
    }

    private string? FindUser(string token)
    {
        lock (_tokenGate)
        {
            return _tokens.GetValueOrDefault(token);
        }
    }

    private async Task SendBookmarksAsync(TimeSpan interval)
    {
        if (interval <= TimeSpan.Zero)
        {
            return;
        }

        using var timer = new PeriodicTimer(interval);
        try
        {
            while (await timer.WaitForNextTickAsync(_stopping.Token).ConfigureAwait(false))
            {
                _state.SendBookmarks();
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    private ResourceType View(string apiVersion, string kind)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(apiVersion);
        ArgumentException.ThrowIfNullOrWhiteSpace(kind);
        return _state.FindKind(apiVersion, kind) ?? throw new ArgumentException($"the sandbox serves no {kind} in {apiVersion}");
    }

    private static TResult Translate<TResult>(Func<TResult> action)
    {
        try
        {
            return action();
        }
        catch (ApiException e)
        {
            throw new InvalidOperationException(e.Message, e);
        }
    }

    private static JsonObject ToJson<T>(T obj)
        where T : class, IKubernetesObject
    {
        var json = JsonNode.Parse(KubernetesJson.Serialize(obj))!.AsObject();
        var (apiVersion, kind) = TypeMeta<T>();
        if (string.IsNullOrEmpty(JsonText.GetString(json, "apiVersion")))
        {
            json["apiVersion"] = apiVersion;
        }

        if (string.IsNullOrEmpty(JsonText.GetString(json, "kind")))
        {
            json["kind"] = kind;
        }

        return json;
    }

    private static (string ApiVersion, string Kind) TypeMeta<T>()
    {
        var entity = typeof(T).GetCustomAttribute<KubernetesEntityAttribute>()
            ?? throw new ArgumentException($"{typeof(T).Name} has no KubernetesEntity attribute; use the JsonObject overloads");
        return (string.IsNullOrEmpty(entity.Group) ? entity.ApiVersion : entity.Group + "/" + entity.ApiVersion, entity.Kind);
    }
}
