using System.Text.Json.Nodes;
using Csi.Client;
using Csi.Sandboxes.Kubernetes;
using Csi.Testing;
using Csi.V1;

namespace Csi.Provisioner.Tests.EndToEnd;

/// <summary>
/// The API sandbox with the volume controllers emulated, one node (CSINode + Node labelled with the driver's
/// topology key), the local-volume driver as a process in controller mode on an image pool, and provisioners run in
/// this process against both.
/// </summary>
internal sealed class ProvisionerCluster : IAsyncDisposable
{
    public const string DriverName = "local.csi.csi-suite.dev";
    public const string TopologyKey = "topology." + DriverName + "/node";
    public const string NodeName = "node-1";

    private readonly StoragePool _pool;
    private readonly long _poolBytes;
    private readonly InProcessProvisioners _provisioners = new();

    private ProvisionerCluster(KubernetesSandbox sandbox, StoragePool pool, long poolBytes)
    {
        Sandbox = sandbox;
        _pool = pool;
        _poolBytes = poolBytes;
        KubeconfigPath = sandbox.WriteKubeconfig(pool.Work);
        SocketPath = Path.Combine(pool.Work, "csi.sock");
    }

    public KubernetesSandbox Sandbox { get; }

    public string KubeconfigPath { get; }

    public string SocketPath { get; }

    public DriverProcess? Driver { get; private set; }

    public static string DriverBinary => Path.Combine(AppContext.BaseDirectory, "local-volume-csi-driver");

    public static string ProvisionerBinary => Path.Combine(AppContext.BaseDirectory, "csi-provisioner");

    /// <param name="poolBytes">the driver's pool budget.</param>
    /// <param name="startDriver">start the driver now (else <see cref="StartDriverAsync"/>).</param>
    /// <param name="poolInMemory">put the image pool on a tmpfs, for tests that make many volumes.</param>
    /// <param name="volumeControllers">emulate the PV controller and the scheduler (off: claims stay unbound, and carry no provisioner annotation unless seeded with one).</param>
    public static async Task<ProvisionerCluster> StartAsync(long poolBytes = 1L << 30, bool startDriver = true, bool poolInMemory = false, bool volumeControllers = true)
    {
        var sandbox = await KubernetesSandbox.StartAsync(new KubernetesSandboxOptions { UseTls = true, EmulateVolumeControllers = volumeControllers });
        var cluster = new ProvisionerCluster(sandbox, poolInMemory ? StoragePool.ImagesInMemory() : StoragePool.Images(), poolBytes);
        sandbox.SeedCsiNode(NodeName, DriverName, TopologyKey);
        if (startDriver)
        {
            await cluster.StartDriverAsync();
        }
        return cluster;
    }

    public async Task StartDriverAsync()
        => Driver = await DriverProcess.StartAsync(DriverBinary, ["--endpoint", "unix://" + SocketPath, "--nodeid", NodeName, "--mode", "controller", "--pool", _pool.Flag("main", _poolBytes)], "unix://" + SocketPath);

    /// <summary>The command line the tests start provisioners with, plus <paramref name="extra"/>.</summary>
    public string[] Arguments(params string[] extra) => InProcessProvisioners.Arguments(SocketPath, KubeconfigPath, extra);

    /// <summary>Runs a provisioner in this process until the returned source is cancelled.</summary>
    public CancellationTokenSource StartProvisioner(params string[] extra)
        => _provisioners.Start(Arguments(extra), Environment.GetEnvironmentVariable);

    /// <summary>As <see cref="StartProvisioner(string[])"/>, with env variables (NAMESPACE, POD_NAME) read from <paramref name="environment"/>.</summary>
    public CancellationTokenSource StartProvisioner(IReadOnlyDictionary<string, string> environment, params string[] extra)
        => _provisioners.Start(Arguments(extra), name => environment.GetValueOrDefault(name));

    public Task<int> ProvisionerRun(CancellationTokenSource stop) => _provisioners.Run(stop);

    public void SeedClass(string name, string bindingMode = "Immediate", string reclaimPolicy = "Delete", Dictionary<string, string>? parameters = null)
    {
        var parameterObject = new JsonObject();
        foreach (var (key, value) in parameters ?? [])
        {
            parameterObject[key] = value;
        }
        Sandbox.Seed(new JsonObject
        {
            ["apiVersion"] = "storage.k8s.io/v1",
            ["kind"] = "StorageClass",
            ["metadata"] = new JsonObject { ["name"] = name },
            ["provisioner"] = DriverName,
            ["reclaimPolicy"] = reclaimPolicy,
            ["volumeBindingMode"] = bindingMode,
            ["parameters"] = parameterObject,
        });
    }

    /// <summary>Creates a claim the way kubectl would (through the API, so admission and the emulated controllers see it) and returns its uid.</summary>
    public string SeedClaim(string name, string storageClass, string size = "64Mi", Dictionary<string, string>? annotations = null, JsonObject? dataSource = null)
    {
        var metadata = new JsonObject { ["name"] = name, ["namespace"] = "default" };
        if (annotations is not null)
        {
            var a = new JsonObject();
            foreach (var (key, value) in annotations)
            {
                a[key] = value;
            }
            metadata["annotations"] = a;
        }
        var spec = new JsonObject
        {
            ["accessModes"] = new JsonArray("ReadWriteOnce"),
            ["resources"] = new JsonObject { ["requests"] = new JsonObject { ["storage"] = size } },
            ["storageClassName"] = storageClass,
        };
        if (dataSource is not null)
        {
            spec["dataSource"] = dataSource;
        }
        var claim = Sandbox.Seed(new JsonObject { ["apiVersion"] = "v1", ["kind"] = "PersistentVolumeClaim", ["metadata"] = metadata, ["spec"] = spec });
        return claim["metadata"]!["uid"]!.GetValue<string>();
    }

    public void SeedPod(string name, string claim)
        => Sandbox.Seed(new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "Pod",
            ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = "default" },
            ["spec"] = new JsonObject
            {
                ["nodeName"] = NodeName,
                ["containers"] = new JsonArray(new JsonObject { ["name"] = "app", ["image"] = "app" }),
                ["volumes"] = new JsonArray(new JsonObject { ["name"] = "data", ["persistentVolumeClaim"] = new JsonObject { ["claimName"] = claim } }),
            },
        });

    public JsonObject? Claim(string name) => Sandbox.Get("v1", "PersistentVolumeClaim", name, "default");

    public JsonObject? Volume(string name) => Sandbox.Get("v1", "PersistentVolume", name);

    public IEnumerable<JsonObject> Events(string involvedName, string? reason = null)
        => Sandbox.List("v1", "Event", "default").Concat(Sandbox.List("v1", "Event", null))
            .Where(e => e["involvedObject"]?["name"]?.GetValue<string>() == involvedName && (reason is null || e["reason"]?.GetValue<string>() == reason))
            .DistinctBy(e => e["metadata"]!["uid"]!.GetValue<string>());

    public async Task<IReadOnlyList<ListVolumesResponse.Types.Entry>> DriverVolumesAsync()
    {
        using var client = CsiClient.Connect("unix://" + SocketPath);
        var response = await client.Controller.ListVolumesAsync(new ListVolumesRequest());
        return response.Entries;
    }

    /// <summary>The ids of the volume image files in the driver's pool (the storage itself, not the driver's records).</summary>
    public IEnumerable<string> VolumeFilesInPool()
        => Directory.Exists(_pool.VolumesDirectory)
            ? Directory.EnumerateFiles(_pool.VolumesDirectory, "*.img").Select(Path.GetFileNameWithoutExtension).OfType<string>()
            : [];

    /// <summary>Checks <paramref name="condition"/> every <paramref name="interval"/> (50 ms unless given) until it holds or the timeout (20 s unless given) passes.</summary>
    public static async Task WaitForAsync(Func<bool> condition, string what, TimeSpan? timeout = null, TimeSpan? interval = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(20));
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException("timed out waiting for " + what);
            }
            await Task.Delay(interval ?? TimeSpan.FromMilliseconds(50));
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _provisioners.DisposeAsync();
        if (Driver is not null)
        {
            await Driver.DisposeAsync();
        }
        await Sandbox.DisposeAsync();
        _pool.Dispose();
    }
}
