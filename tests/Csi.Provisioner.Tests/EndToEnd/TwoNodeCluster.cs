using Csi.Client;
using Csi.Sandboxes.Kubernetes;
using Csi.Testing;
using Csi.V1;

namespace Csi.Provisioner.Tests.EndToEnd;

/// <summary>
/// The API sandbox with two nodes (node-a, node-b), each with its own local-volume driver process (controller mode,
/// its own image pool and node id) and, when started, its own provisioner in --node-deployment mode with NODE_NAME.
/// </summary>
internal sealed class TwoNodeCluster : IAsyncDisposable
{
    public static readonly string[] Nodes = ["node-a", "node-b"];
    private readonly Dictionary<string, (StoragePool Pool, DriverProcess Driver, string Socket)> _nodes = [];
    private readonly InProcessProvisioners _provisioners = new();
    private readonly string _work;

    private TwoNodeCluster(KubernetesSandbox sandbox, string work)
    {
        Sandbox = sandbox;
        _work = work;
        KubeconfigPath = sandbox.WriteKubeconfig(work);
    }

    public KubernetesSandbox Sandbox { get; }

    public string KubeconfigPath { get; }

    public static async Task<TwoNodeCluster> StartAsync(long poolBytes = 1L << 30)
    {
        var sandbox = await KubernetesSandbox.StartAsync(new KubernetesSandboxOptions { UseTls = true, EmulateVolumeControllers = true });
        var work = Directory.CreateTempSubdirectory("two-node-").FullName;
        var cluster = new TwoNodeCluster(sandbox, work);
        foreach (var node in Nodes)
        {
            sandbox.SeedCsiNode(node, ProvisionerCluster.DriverName, ProvisionerCluster.TopologyKey);
            var pool = StoragePool.Images();
            var socket = Path.Combine(work, node + ".sock");
            var driver = await DriverProcess.StartAsync(ProvisionerCluster.DriverBinary, ["--endpoint", "unix://" + socket, "--nodeid", node, "--mode", "controller", "--pool", pool.Flag("main", poolBytes)], "unix://" + socket);
            cluster._nodes[node] = (pool, driver, socket);
        }
        return cluster;
    }

    public string Socket(string node) => _nodes[node].Socket;

    /// <summary>Runs <paramref name="node"/>'s provisioner with --node-deployment, NODE_NAME and <paramref name="environment"/> plus <paramref name="extra"/>.</summary>
    public CancellationTokenSource StartProvisioner(string node, IReadOnlyDictionary<string, string>? environment = null, params string[] extra)
        => _provisioners.Start(
            InProcessProvisioners.Arguments(Socket(node), KubeconfigPath, ["--node-deployment", "--node-deployment-base-delay=200ms", "--node-deployment-max-delay=1s", .. extra]),
            name => name == "NODE_NAME" ? node : environment?.GetValueOrDefault(name));

    public async Task<IReadOnlyList<ListVolumesResponse.Types.Entry>> DriverVolumesAsync(string node)
    {
        using var client = CsiClient.Connect("unix://" + Socket(node));
        return (await client.Controller.ListVolumesAsync(new ListVolumesRequest())).Entries;
    }

    public async ValueTask DisposeAsync()
    {
        await _provisioners.DisposeAsync();
        foreach (var (pool, driver, _) in _nodes.Values)
        {
            await driver.DisposeAsync();
            pool.Dispose();
        }
        await Sandbox.DisposeAsync();
        Directory.Delete(_work, recursive: true);
    }
}
