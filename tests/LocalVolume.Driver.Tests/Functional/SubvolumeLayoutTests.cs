using Csi.Testing;
using Csi.V1;
using LocalVolume.Driver.Tests.Fixtures;

namespace LocalVolume.Driver.Tests.Functional;

/// <summary>The subvolume layout on a real loop-backed btrfs: qgroup limits, snapshots and clones, expansion.</summary>
public sealed class SubvolumeLayoutTests : IAsyncLifetime
{
    private const long MiB = 1L << 20;

    private StoragePool _pool = null!;
    private LocalDriver _driver = null!;
    private NodeSession _node = null!;

    public async Task InitializeAsync()
    {
        _pool = StoragePool.Btrfs();
        _driver = await LocalDriver.StartAsync(_pool.Work, [_pool.Flag("fast", 2L << 30)]);
        _node = new NodeSession(_driver.Client, _pool.Work);
    }

    public async Task DisposeAsync()
    {
        await _driver.DisposeAsync();
        _pool.Dispose();
    }

    [Fact]
    public async Task Create_MakesASubvolumeWithAQgroupLimitOfItsSize()
    {
        var volume = (await _driver.Client.Controller.CreateVolumeAsync(Requests.Create("pvc-a", 64 * MiB))).Volume;

        Assert.Equal(64 * MiB, volume.CapacityBytes);
        Assert.Equal(LocalDriver.NodeId, volume.AccessibleTopology.Single().Segments[LocalDriver.TopologyKey]);
        var subvolume = Path.Combine(_pool.VolumesDirectory, volume.VolumeId);
        Assert.Contains("Name:", Shell.Run("btrfs", "subvolume", "show", subvolume));
        Assert.Contains(" 67108864 ", Shell.Run("btrfs", "qgroup", "show", "-re", "--raw", "-f", subvolume));
    }

    [Fact]
    public async Task WritingPastTheSize_GetsEdquot_AndAfterExpansionTheNewSizeHolds()
    {
        var volume = (await _driver.Client.Controller.CreateVolumeAsync(Requests.Create("pvc-quota", 32 * MiB))).Volume;
        var target = await _node.PublishAsync(volume.VolumeId, Requests.Mount());

        var (written, refusal) = Writes.Fill(Path.Combine(target, "fill"), 128 * MiB);
        Assert.True(Writes.IsOutOfSpace(refusal), $"expected EDQUOT after about 32 MiB, wrote {written} bytes, error: {refusal?.Message ?? "none"}");
        Assert.InRange(written, 16 * MiB, 32 * MiB);

        var expanded = await _driver.Client.Controller.ControllerExpandVolumeAsync(new ControllerExpandVolumeRequest
        {
            VolumeId = volume.VolumeId,
            CapacityRange = new CapacityRange { RequiredBytes = 96 * MiB },
        });
        Assert.Equal(96 * MiB, expanded.CapacityBytes);
        Assert.False(expanded.NodeExpansionRequired);

        var (writtenAfter, refusalAfter) = Writes.Fill(Path.Combine(target, "fill2"), 256 * MiB);
        Assert.True(Writes.IsOutOfSpace(refusalAfter), $"expected EDQUOT after expansion, wrote {writtenAfter} bytes");
        Assert.InRange(written + writtenAfter, 64 * MiB, 96 * MiB);

        var stats = await _driver.Client.Node.NodeGetVolumeStatsAsync(new NodeGetVolumeStatsRequest { VolumeId = volume.VolumeId, VolumePath = target });
        var bytes = stats.Usage.Single(u => u.Unit == VolumeUsage.Types.Unit.Bytes);
        Assert.Equal(96 * MiB, bytes.Total);
        Assert.InRange(bytes.Used, 64 * MiB, 96 * MiB);
        Assert.False(stats.VolumeCondition.Abnormal);
    }

    [Fact]
    public async Task SnapshotRestore_KeepsTheContentAtSnapshotTime()
    {
        var source = (await _driver.Client.Controller.CreateVolumeAsync(Requests.Create("pvc-src", 64 * MiB))).Volume;
        var target = await _node.PublishAsync(source.VolumeId, Requests.Mount());
        await File.WriteAllTextAsync(Path.Combine(target, "data.txt"), "before snapshot");

        var snapshot = (await _driver.Client.Controller.CreateSnapshotAsync(new CreateSnapshotRequest { Name = "snap-1", SourceVolumeId = source.VolumeId })).Snapshot;
        await File.WriteAllTextAsync(Path.Combine(target, "data.txt"), "after snapshot");

        var restored = (await _driver.Client.Controller.CreateVolumeAsync(Requests.Create("pvc-restored", 64 * MiB, source: Requests.FromSnapshot(snapshot.SnapshotId)))).Volume;
        Assert.Equal(snapshot.SnapshotId, restored.ContentSource.Snapshot.SnapshotId);
        var restoredTarget = await _node.PublishAsync(restored.VolumeId, Requests.Mount());

        Assert.Equal("before snapshot", await File.ReadAllTextAsync(Path.Combine(restoredTarget, "data.txt")));
        Assert.Equal("after snapshot", await File.ReadAllTextAsync(Path.Combine(target, "data.txt")));
    }

    [Fact]
    public async Task Clone_IsIndependentOfItsSource()
    {
        var source = (await _driver.Client.Controller.CreateVolumeAsync(Requests.Create("pvc-orig", 64 * MiB))).Volume;
        var sourceTarget = await _node.PublishAsync(source.VolumeId, Requests.Mount());
        await File.WriteAllTextAsync(Path.Combine(sourceTarget, "shared.txt"), "original");

        var clone = (await _driver.Client.Controller.CreateVolumeAsync(Requests.Create("pvc-clone", 64 * MiB, source: Requests.FromVolume(source.VolumeId)))).Volume;
        Assert.Equal(source.VolumeId, clone.ContentSource.Volume.VolumeId);
        var cloneTarget = await _node.PublishAsync(clone.VolumeId, Requests.Mount());

        await File.WriteAllTextAsync(Path.Combine(cloneTarget, "shared.txt"), "changed in clone");
        await File.WriteAllTextAsync(Path.Combine(sourceTarget, "only-source.txt"), "x");
        Assert.Equal("original", await File.ReadAllTextAsync(Path.Combine(sourceTarget, "shared.txt")));
        Assert.False(File.Exists(Path.Combine(cloneTarget, "only-source.txt")));

        await _node.UnpublishAsync(source.VolumeId);
        await _driver.Client.Controller.DeleteVolumeAsync(new DeleteVolumeRequest { VolumeId = source.VolumeId });
        Assert.Equal("changed in clone", await File.ReadAllTextAsync(Path.Combine(cloneTarget, "shared.txt")));
    }

    [Fact]
    public async Task ReadOnlyPublish_RefusesWrites_AndUnpublishLeavesNothingMounted()
    {
        var volume = (await _driver.Client.Controller.CreateVolumeAsync(Requests.Create("pvc-ro", 64 * MiB))).Volume;
        var target = await _node.PublishAsync(volume.VolumeId, Requests.Mount("", "noexec"), readOnly: true);

        var mount = MountTable.At(target);
        Assert.NotNull(mount);
        Assert.Contains("ro", mount.Options.Split(','));
        Assert.Contains("noexec", mount.Options.Split(','));
        Assert.ThrowsAny<IOException>(() => File.WriteAllText(Path.Combine(target, "x"), "x"));

        await _node.UnpublishAsync(volume.VolumeId);
        Assert.Null(MountTable.At(target));
        Assert.Null(MountTable.At(_node.StagingPath(volume.VolumeId)));
        Assert.False(Directory.Exists(target));
    }
}
