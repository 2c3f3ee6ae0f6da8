using System.Net;
using System.Security.Cryptography.X509Certificates;
using Csi.Sandboxes.Common;
using Csi.Sandboxes.Kubernetes.Internal;

namespace Csi.Sandboxes.Kubernetes;

/// <summary>
/// A loopback HTTP(S) server that behaves like kube-apiserver for tests: real sockets, bearer-token authentication,
/// the REST verbs with their status codes and <c>Status</c> bodies, selectors, patches, watches from a
/// resourceVersion, custom resources from CRD manifests, garbage collection, fault injection and a request log.
/// Point a real <see cref="k8s.Kubernetes"/> client at it with <see cref="ClientConfiguration"/>; seed and inspect
/// objects directly with the methods below. See README.md for what it does not do.
/// </summary>
public sealed partial class KubernetesSandbox : IAsyncDisposable
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
}
