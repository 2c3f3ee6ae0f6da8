using System.Text;
using Csi.Client;
using Csi.TestProvider;
using Csi.Testing;
using Csi.V1;
using Google.Protobuf;
using Grpc.Core;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using SecretsStore.Provider.V1Alpha1;
using File = System.IO.File;

namespace SecretsStore.Driver.Tests.Functional;

/// <summary>
/// The real driver in process: Kestrel on a unix socket in a fresh directory, the test provider on its own
/// socket, manifests in a directory, and a CSI client that calls it the way kubelet does.
/// </summary>
internal sealed class DriverHarness : IAsyncDisposable
{
    public const string ProviderName = "test";

    private readonly List<string> _targets = [];
    private readonly DriverOptions _options;
    private readonly TimeProvider? _time;
    private readonly NodePlatform? _platform;
    private WebApplication _driver;

    private DriverHarness(string root, DriverOptions options, WebApplication driver, TestProviderServer provider, CsiClient client, CapturedLogs logs, Uri metrics, TimeProvider? time, NodePlatform? platform)
    {
        _time = time;
        _platform = platform;
        Root = root;
        _options = options;
        _driver = driver;
        Provider = provider;
        Client = client;
        Logs = logs;
        MetricsAddress = metrics;
    }

    public string Root { get; }

    public string SpcDir => Path.Combine(Root, "spc");

    public TestProviderServer Provider { get; }

    public TestProviderService ProviderService => Provider.Service;

    public CsiClient Client { get; private set; }

    public CapturedLogs Logs { get; }

    public Uri MetricsAddress { get; private set; }

    public string StateDir => Path.Combine(Root, "state");

    public string SocketPath => _options.SocketPath;

    public IServiceProvider Services => _driver.Services;

    public SecretsStore.Driver.Rotation.RotationReconciler Reconciler => _driver.Services.GetRequiredService<SecretsStore.Driver.Rotation.RotationReconciler>();

    public static Task<DriverHarness> StartAsync(params string[] extraArgs)
        => StartCoreAsync(kubeconfig: null, time: null, extraArgs);

    /// <summary>The driver as it runs on another kind of node (its mount layer and metric labels), in standalone mode.</summary>
    public static Task<DriverHarness> StartOnPlatformAsync(NodePlatform platform, params string[] extraArgs)
        => StartCoreAsync(kubeconfig: null, time: null, extraArgs, platform);

    /// <summary>The driver in Kubernetes mode: no --spc-dir, the API reached through <paramref name="kubeconfig"/>.</summary>
    public static Task<DriverHarness> StartWithKubernetesAsync(string kubeconfig, params string[] extraArgs)
        => StartCoreAsync(kubeconfig, time: null, extraArgs);

    /// <summary>The driver on a clock the test moves (standalone, or Kubernetes mode with <paramref name="kubeconfig"/>).</summary>
    public static Task<DriverHarness> StartWithClockAsync(TimeProvider time, string? kubeconfig, params string[] extraArgs)
        => StartCoreAsync(kubeconfig, time, extraArgs);

    private static async Task<DriverHarness> StartCoreAsync(string? kubeconfig, TimeProvider? time, string[] extraArgs, NodePlatform? platform = null)
    {
        var root = Directory.CreateTempSubdirectory("ssd-func-").FullName;
        Directory.CreateDirectory(Path.Combine(root, "spc"));
        Directory.CreateDirectory(Path.Combine(root, "pods"));
        var providers = Path.Combine(root, "providers");
        var provider = await TestProviderServer.StartAsync(Path.Combine(providers, ProviderName + ".sock")).ConfigureAwait(false);

        var socket = Path.Combine(root, "csi.sock");
        var options = DriverOptions.Parse([
            "--endpoint", "unix://" + socket,
            "--nodeid", "node-1",
            "--provider-volume", providers,
            "--additional-provider-volume-paths=",
            .. kubeconfig is null ? ["--spc-dir", Path.Combine(root, "spc")] : new[] { "--kubeconfig", kubeconfig },
            "--metrics-addr", "127.0.0.1:0",
            "--state-dir", Path.Combine(root, "state"),
            // On the real clock the reconciler's pass would rotate behind the back of tests that drive rotation
            // by republishing with 1ms intervals; those on a manual clock run it (its timer moves with that clock).
            .. time is null && !extraArgs.Any(a => a.StartsWith("--rotation-reconciler", StringComparison.Ordinal)) ? ["--rotation-reconciler=false"] : Array.Empty<string>(),
            .. extraArgs]);
        var logs = new CapturedLogs();
        var (driver, metrics) = await StartDriverAsync(options, logs, time, platform).ConfigureAwait(false);
        return new DriverHarness(root, options, driver, provider, CsiClient.Connect("unix://" + socket), logs, metrics, time, platform);
    }

    /// <summary>
    /// The driver process gone and a new one started with the same flags over the same directories, as after an
    /// upgrade or an OOM kill: its mounts stay, everything it held in memory is lost.
    /// </summary>
    public async Task RestartDriverAsync()
    {
        Client.Dispose();
        await _driver.StopAsync().ConfigureAwait(false);
        await _driver.DisposeAsync().ConfigureAwait(false);
        (_driver, MetricsAddress) = await StartDriverAsync(_options, Logs, _time, _platform).ConfigureAwait(false);
        Client = CsiClient.Connect("unix://" + _options.SocketPath);
    }

    private static async Task<(WebApplication Driver, Uri Metrics)> StartDriverAsync(DriverOptions options, CapturedLogs logs, TimeProvider? time, NodePlatform? platform)
    {
        var driver = DriverHost.Build(options, time ?? TimeProvider.System, logging => logging.AddProvider(logs), platform);
        await driver.StartAsync().ConfigureAwait(false);
        var metrics = driver.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses
            .Select(a => new Uri(a)).First(u => u.Host == "127.0.0.1");
        return (driver, metrics);
    }

    /// <summary>A kubelet-style target: the parent exists, the target itself does not yet.</summary>
    public string NewTarget()
    {
        var parent = Path.Combine(Root, "pods", Guid.NewGuid().ToString("N"), "volumes", "kubernetes.io~csi", "secrets");
        Directory.CreateDirectory(parent);
        var target = Path.Combine(parent, "mount");
        _targets.Add(target);
        return target;
    }

    public void WriteClass(string name, string provider = ProviderName, string ns = "default", string parameters = "objects: \"- objectName: a\"")
        => File.WriteAllText(Path.Combine(SpcDir, name + ".yaml"), $"""
            apiVersion: secrets-store.csi.x-k8s.io/v1
            kind: SecretProviderClass
            metadata:
              name: {name}
              namespace: {ns}
            spec:
              provider: {provider}
              parameters:
                {parameters}

            """);

    /// <summary>Makes the provider answer with these files, each with version "v-&lt;content&gt;".</summary>
    public void ServeFiles(params (string Path, string Content)[] files)
        => ProviderService.Handler = (_, _) => Task.FromResult(Response(files));

    public static MountResponse Response(params (string Path, string Content)[] files)
    {
        var response = new MountResponse();
        foreach (var (path, content) in files)
        {
            response.Files.Add(new SecretsStore.Provider.V1Alpha1.File { Path = path, Mode = 420, Contents = ByteString.CopyFrom(Encoding.UTF8.GetBytes(content)) });
            response.ObjectVersion.Add(new ObjectVersion { Id = "secret/" + path, Version = "v-" + content });
        }
        return response;
    }

    public static NodePublishVolumeRequest PublishRequest(string target, string spc = "spc", string ns = "default", string podName = "web", string podUid = "uid-1")
        => CsiClient.BuildPublishRequest(new PublishOptions
        {
            VolumeId = "csi-" + Guid.NewGuid().ToString("N"),
            TargetPath = target,
            Readonly = true,
            Attributes = new Dictionary<string, string> { ["secretProviderClass"] = spc },
            PodName = podName,
            PodNamespace = ns,
            PodUid = podUid,
            ServiceAccountName = "web-sa",
        });

    public Task<NodePublishVolumeResponse> PublishAsync(NodePublishVolumeRequest request)
        => Client.Node.NodePublishVolumeAsync(request).ResponseAsync;

    public Task<NodeUnpublishVolumeResponse> UnpublishAsync(string target)
        => Client.Node.NodeUnpublishVolumeAsync(new NodeUnpublishVolumeRequest { VolumeId = "v", TargetPath = target }).ResponseAsync;

    public async Task<RpcException> PublishFailsAsync(NodePublishVolumeRequest request)
        => await Assert.ThrowsAsync<RpcException>(() => PublishAsync(request)).ConfigureAwait(false);

    public static MountedFileSystem? MountAt(string target) => MountTable.At(target);

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await _driver.StopAsync().ConfigureAwait(false);
        await _driver.DisposeAsync().ConfigureAwait(false);
        await Provider.DisposeAsync().ConfigureAwait(false);
        global::Csi.Testing.MountTable.UnmountBeneath(Root);
        Directory.Delete(Root, recursive: true);
    }
}
