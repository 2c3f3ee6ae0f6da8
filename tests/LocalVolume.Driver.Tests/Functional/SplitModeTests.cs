using Csi.Testing;
using Csi.V1;
using Grpc.Core;
using LocalVolume.Driver.Tests.Fixtures;

namespace LocalVolume.Driver.Tests.Functional;

/// <summary>
/// The controller and node halves as separate processes on one node sharing the pool, as deployed: the controller
/// beside a node-deployment provisioner, the node plugin in the DaemonSet.
/// </summary>
public sealed class SplitModeTests : IAsyncLifetime
{
    private const long MiB = 1L << 20;

    private StoragePool _pool = null!;
    private LocalDriver _controller = null!;
    private LocalDriver _node = null!;

    public async Task InitializeAsync()
    {
        _pool = StoragePool.Images();
        var pools = new[] { _pool.Flag("images", 2L << 30) };
        _controller = await LocalDriver.StartAsync(_pool.Work, pools, "controller", "controller.sock");
        _node = await LocalDriver.StartAsync(_pool.Work, pools, "node", "node.sock");
    }

    public async Task DisposeAsync()
    {
        await _node.DisposeAsync();
        await _controller.DisposeAsync();
        _pool.Dispose();
    }

    [Fact]
    public async Task ControllerProcessCreates_NodeProcessStagesAndPublishes_ControllerDeletes()
    {
        var capability = Requests.Mount("ext4");
        var volume = (await _controller.Client.Controller.CreateVolumeAsync(Requests.Create("pvc-split", 64 * MiB, capability))).Volume;
        var session = new NodeSession(_node.Client, _pool.Work);

        var target = await session.PublishAsync(volume.VolumeId, capability);
        await File.WriteAllTextAsync(Path.Combine(target, "hello.txt"), "from the node process");

        Assert.Equal("ext4", MountTable.FileSystemAt(session.StagingPath(volume.VolumeId)));
        Assert.Equal("from the node process", await File.ReadAllTextAsync(Path.Combine(target, "hello.txt")));

        var stats = await _node.Client.Node.NodeGetVolumeStatsAsync(new NodeGetVolumeStatsRequest { VolumeId = volume.VolumeId, VolumePath = target });
        Assert.False(stats.VolumeCondition.Abnormal);
        Assert.InRange(stats.Usage.Single(u => u.Unit == VolumeUsage.Types.Unit.Bytes).Total, 48 * MiB, 64 * MiB);
        var devices = Shell.Run("losetup", "--noheadings", "--output", "NAME,BACK-FILE", "--list");
        Assert.Contains(volume.VolumeId, devices);

        await session.UnpublishAsync(volume.VolumeId);
        await _controller.Client.Controller.DeleteVolumeAsync(new DeleteVolumeRequest { VolumeId = volume.VolumeId });
        Assert.False(File.Exists(Path.Combine(_pool.VolumesDirectory, volume.VolumeId + ".img")));
    }

    [Fact]
    public async Task EachProcessServesOnlyItsHalf()
    {
        var nodeCapabilities = await _node.Client.Identity.GetPluginCapabilitiesAsync(new GetPluginCapabilitiesRequest());
        var controllerCapabilities = await _controller.Client.Identity.GetPluginCapabilitiesAsync(new GetPluginCapabilitiesRequest());

        Assert.DoesNotContain(nodeCapabilities.Capabilities, c => c.Service?.Type == PluginCapability.Types.Service.Types.Type.ControllerService);
        Assert.Contains(controllerCapabilities.Capabilities, c => c.Service?.Type == PluginCapability.Types.Service.Types.Type.ControllerService);
        var controllerOnNode = await Assert.ThrowsAsync<RpcException>(async () => await _node.Client.Controller.CreateVolumeAsync(Requests.Create("pvc-n", 64 * MiB)));
        Assert.Equal(StatusCode.Unimplemented, controllerOnNode.StatusCode);
        var nodeOnController = await Assert.ThrowsAsync<RpcException>(async () => await _controller.Client.Node.NodeGetInfoAsync(new NodeGetInfoRequest()));
        Assert.Equal(StatusCode.Unimplemented, nodeOnController.StatusCode);
        var info = await _node.Client.Node.NodeGetInfoAsync(new NodeGetInfoRequest());
        Assert.Equal(LocalDriver.NodeId, info.AccessibleTopology.Segments[LocalDriver.TopologyKey]);
    }
}
