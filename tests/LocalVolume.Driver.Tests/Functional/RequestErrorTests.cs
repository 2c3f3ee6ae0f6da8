using Csi.Testing;
using Csi.V1;
using Grpc.Core;
using LocalVolume.Driver.Tests.Fixtures;

namespace LocalVolume.Driver.Tests.Functional;

/// <summary>Bad input gets the spec's code and a message naming the field, and touches nothing; ids never become paths.</summary>
public sealed class RequestErrorTests : IAsyncLifetime
{
    private const long MiB = 1L << 20;

    private StoragePool _pool = null!;
    private LocalDriver _driver = null!;

    public async Task InitializeAsync()
    {
        _pool = StoragePool.Btrfs();
        _driver = await LocalDriver.StartAsync(_pool.Work, [_pool.Flag("fast", 1L << 30)]);
    }

    public async Task DisposeAsync()
    {
        await _driver.DisposeAsync();
        _pool.Dispose();
    }

    [Fact]
    public async Task UnknownPool_IsInvalidArgument_NamingTheParameterAndThePools()
    {
        var error = await Assert.ThrowsAsync<RpcException>(async () => await _driver.Client.Controller.CreateVolumeAsync(Requests.Create("pvc-x", 64 * MiB, pool: "slow")));

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.Contains("parameters.pool", error.Status.Detail);
        Assert.Contains("fast", error.Status.Detail);
        Assert.Empty(Directory.GetDirectories(_pool.VolumesDirectory));
    }

    [Fact]
    public async Task SameNameWithAnotherSize_IsAlreadyExists_AndKeepsTheFirstVolume()
    {
        var first = await _driver.Client.Controller.CreateVolumeAsync(Requests.Create("pvc-dup", 64 * MiB));

        var error = await Assert.ThrowsAsync<RpcException>(async () => await _driver.Client.Controller.CreateVolumeAsync(Requests.Create("pvc-dup", 128 * MiB)));

        Assert.Equal(StatusCode.AlreadyExists, error.StatusCode);
        Assert.Contains("name", error.Status.Detail);
        Assert.True(Directory.Exists(Path.Combine(_pool.VolumesDirectory, first.Volume.VolumeId)));
    }

    [Fact]
    public async Task LimitBelowRequired_IsOutOfRange()
    {
        var request = Requests.Create("pvc-range", 64 * MiB);
        request.CapacityRange.LimitBytes = 32 * MiB;

        var error = await Assert.ThrowsAsync<RpcException>(async () => await _driver.Client.Controller.CreateVolumeAsync(request));

        Assert.Equal(StatusCode.OutOfRange, error.StatusCode);
        Assert.Contains("capacity_range", error.Status.Detail);
    }

    [Fact]
    public async Task VolumeBiggerThanThePool_IsResourceExhausted()
    {
        var error = await Assert.ThrowsAsync<RpcException>(async () => await _driver.Client.Controller.CreateVolumeAsync(Requests.Create("pvc-huge", 2L << 30)));

        Assert.Equal(StatusCode.ResourceExhausted, error.StatusCode);
        Assert.Empty(Directory.GetDirectories(_pool.VolumesDirectory));
    }

    [Fact]
    public async Task RequisiteTopologyOfAnotherNode_IsResourceExhausted()
    {
        var request = Requests.Create("pvc-elsewhere", 64 * MiB);
        var topology = new Topology();
        topology.Segments.Add(LocalDriver.TopologyKey, "another-node");
        request.AccessibilityRequirements = new TopologyRequirement();
        request.AccessibilityRequirements.Requisite.Add(topology);

        var error = await Assert.ThrowsAsync<RpcException>(async () => await _driver.Client.Controller.CreateVolumeAsync(request));

        Assert.Equal(StatusCode.ResourceExhausted, error.StatusCode);
        Assert.Contains("accessibility_requirements", error.Status.Detail);
    }

    [Fact]
    public async Task StaleListToken_IsAborted()
    {
        var error = await Assert.ThrowsAsync<RpcException>(async () => await _driver.Client.Controller.ListVolumesAsync(new ListVolumesRequest { StartingToken = "not-a-token" }));

        Assert.Equal(StatusCode.Aborted, error.StatusCode);
        Assert.Contains("starting_token", error.Status.Detail);
    }

    [Fact]
    public async Task ListVolumes_PagesThroughEveryVolumeOnce()
    {
        var ids = new List<string>();
        for (var i = 0; i < 5; i++)
        {
            ids.Add((await _driver.Client.Controller.CreateVolumeAsync(Requests.Create($"pvc-page-{i}", 16 * MiB))).Volume.VolumeId);
        }

        var seen = new List<string>();
        var token = "";
        do
        {
            var page = await _driver.Client.Controller.ListVolumesAsync(new ListVolumesRequest { MaxEntries = 2, StartingToken = token });
            Assert.InRange(page.Entries.Count, 1, 2);
            seen.AddRange(page.Entries.Select(e => e.Volume.VolumeId));
            token = page.NextToken;
        }
        while (token.Length > 0);

        Assert.Equal(ids.Order(StringComparer.Ordinal), seen);
    }

    [Theory]
    [InlineData("..")]
    [InlineData("../..")]
    [InlineData("vol-00000000000000000000000000000000/..")]
    [InlineData("volumes")]
    [InlineData("/")]
    public async Task DeleteVolume_OfAPathLikeId_IsOkAndTouchesNothing(string id)
    {
        var kept = (await _driver.Client.Controller.CreateVolumeAsync(Requests.Create("pvc-kept", 16 * MiB))).Volume.VolumeId;
        var before = Snapshot(_pool.Directory);

        await _driver.Client.Controller.DeleteVolumeAsync(new DeleteVolumeRequest { VolumeId = id });
        await _driver.Client.Controller.DeleteSnapshotAsync(new DeleteSnapshotRequest { SnapshotId = id });

        Assert.Equal(before, Snapshot(_pool.Directory));
        Assert.True(Directory.Exists(Path.Combine(_pool.VolumesDirectory, kept)));
    }

    [Fact]
    public async Task DeleteVolume_OfAnIssuedIdWithDotDotAppended_TouchesNothing()
    {
        var kept = (await _driver.Client.Controller.CreateVolumeAsync(Requests.Create("pvc-kept", 16 * MiB))).Volume.VolumeId;

        await _driver.Client.Controller.DeleteVolumeAsync(new DeleteVolumeRequest { VolumeId = kept + "/.." });

        Assert.True(Directory.Exists(Path.Combine(_pool.VolumesDirectory, kept)));
        Assert.Single((await _driver.Client.Controller.ListVolumesAsync(new ListVolumesRequest())).Entries);
    }

    [Fact]
    public async Task NodeStage_OfAPathLikeVolumeId_IsNotFound()
    {
        var staging = Directory.CreateDirectory(Path.Combine(_pool.Work, "stage-x")).FullName;

        var error = await Assert.ThrowsAsync<RpcException>(async () => await _driver.Client.Node.NodeStageVolumeAsync(new NodeStageVolumeRequest
        {
            VolumeId = "../volumes",
            StagingTargetPath = staging,
            VolumeCapability = Requests.Mount(),
        }));

        Assert.Equal(StatusCode.NotFound, error.StatusCode);
        Assert.Contains("volume_id", error.Status.Detail);
        Assert.Null(MountTable.At(staging));
    }

    [Fact]
    public async Task NodePublish_ToATargetThatClimbsOut_IsInvalidArgument_AndCreatesNothing()
    {
        var volume = (await _driver.Client.Controller.CreateVolumeAsync(Requests.Create("pvc-climb", 16 * MiB))).Volume;
        var node = new NodeSession(_driver.Client, _pool.Work);
        var staging = Directory.CreateDirectory(node.StagingPath(volume.VolumeId)).FullName;
        await _driver.Client.Node.NodeStageVolumeAsync(new NodeStageVolumeRequest { VolumeId = volume.VolumeId, StagingTargetPath = staging, VolumeCapability = Requests.Mount() });
        var escaped = Path.Combine(_pool.Work, "pods", "..", "..", "escaped");

        var error = await Assert.ThrowsAsync<RpcException>(async () => await _driver.Client.Node.NodePublishVolumeAsync(new NodePublishVolumeRequest
        {
            VolumeId = volume.VolumeId,
            StagingTargetPath = staging,
            TargetPath = escaped,
            VolumeCapability = Requests.Mount(),
        }));

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.Contains("target_path", error.Status.Detail);
        Assert.False(Directory.Exists(Path.GetFullPath(escaped)));
    }

    [Fact]
    public async Task BlockVolumeOnASubvolumePool_IsInvalidArgument()
    {
        var error = await Assert.ThrowsAsync<RpcException>(async () => await _driver.Client.Controller.CreateVolumeAsync(Requests.Create("pvc-block", 16 * MiB, Requests.Block())));

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.Contains("volume_capabilities", error.Status.Detail);
    }

    /// <summary>Every path under the directory, sorted, with each file's length: what "touches nothing" compares.</summary>
    private static string Snapshot(string directory)
        => string.Join('\n', Directory.EnumerateFileSystemEntries(directory, "*", SearchOption.AllDirectories)
            .Where(p => !p.EndsWith("local-volume-state.json", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal)
            .Select(p => File.Exists(p) ? $"{p} {new FileInfo(p).Length}" : p))
            + "\n" + File.ReadAllText(Path.Combine(directory, "local-volume-state.json"));
}
