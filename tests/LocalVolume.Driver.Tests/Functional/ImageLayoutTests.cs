using Csi.Testing;
using Csi.V1;
using Grpc.Core;
using LocalVolume.Driver.Tests.Fixtures;

namespace LocalVolume.Driver.Tests.Functional;

/// <summary>The image layout: sparse files on loop devices with ext4 or XFS, block volumes, online growth, copies of XFS images.</summary>
public sealed class ImageLayoutTests : IAsyncLifetime
{
    private const long MiB = 1L << 20;

    private StoragePool _pool = null!;
    private LocalDriver _driver = null!;
    private NodeSession _node = null!;

    public async Task InitializeAsync()
    {
        _pool = StoragePool.Images();
        _driver = await LocalDriver.StartAsync(_pool.Work, [_pool.Flag("images", 8L << 30)]);
        _node = new NodeSession(_driver.Client, _pool.Work);
    }

    public async Task DisposeAsync()
    {
        await _driver.DisposeAsync();
        _pool.Dispose();
    }

    [Fact]
    public async Task Ext4Volume_WritingPastTheSize_GetsEnospc()
    {
        var volume = (await _driver.Client.Controller.CreateVolumeAsync(Requests.Create("pvc-ext4", 64 * MiB, Requests.Mount("ext4")))).Volume;
        var image = Path.Combine(_pool.VolumesDirectory, volume.VolumeId + ".img");
        Assert.Equal(64 * MiB, new FileInfo(image).Length);

        var target = await _node.PublishAsync(volume.VolumeId, Requests.Mount("ext4"));

        Assert.Equal("ext4", MountTable.FileSystemAt(_node.StagingPath(volume.VolumeId)));
        var (written, refusal) = Writes.Fill(Path.Combine(target, "fill"), 256 * MiB);
        Assert.True(Writes.IsOutOfSpace(refusal), $"expected ENOSPC near 64 MiB, wrote {written} bytes, error: {refusal?.Message ?? "none"}");
        Assert.InRange(written, 32 * MiB, 64 * MiB);
    }

    [Fact]
    public async Task XfsVolume_GrowsOnline_SeenByStatfs_AndTheNewSizeHolds()
    {
        var capability = Requests.Mount("xfs");
        var volume = (await _driver.Client.Controller.CreateVolumeAsync(Requests.Create("pvc-xfs", 320 * MiB, capability))).Volume;
        var target = await _node.PublishAsync(volume.VolumeId, capability);
        var before = Statfs(target);
        var (written, refusal) = Writes.Fill(Path.Combine(target, "fill"), 1024 * MiB);
        Assert.True(Writes.IsOutOfSpace(refusal), $"expected ENOSPC, wrote {written}");

        var expanded = await _driver.Client.Controller.ControllerExpandVolumeAsync(new ControllerExpandVolumeRequest
        {
            VolumeId = volume.VolumeId,
            CapacityRange = new CapacityRange { RequiredBytes = 640 * MiB },
        });
        Assert.True(expanded.NodeExpansionRequired);
        var nodeExpanded = await _driver.Client.Node.NodeExpandVolumeAsync(new NodeExpandVolumeRequest
        {
            VolumeId = volume.VolumeId,
            VolumePath = target,
            StagingTargetPath = _node.StagingPath(volume.VolumeId),
            CapacityRange = new CapacityRange { RequiredBytes = 640 * MiB },
        });

        Assert.Equal(640 * MiB, nodeExpanded.CapacityBytes);
        var after = Statfs(target);
        Assert.True(after - before >= 300 * MiB, $"statfs total grew from {before} to {after}");
        var (writtenAfter, refusalAfter) = Writes.Fill(Path.Combine(target, "fill2"), 1024 * MiB);
        Assert.True(Writes.IsOutOfSpace(refusalAfter), $"expected ENOSPC after growth, wrote {writtenAfter}");
        Assert.InRange(writtenAfter, 250 * MiB, 340 * MiB);
    }

    [Fact]
    public async Task Ext4Volume_OnlineGrowth_NeedsCapSysResource_AndSaysSoWhenMissing()
    {
        var capability = Requests.Mount("ext4");
        var volume = (await _driver.Client.Controller.CreateVolumeAsync(Requests.Create("pvc-ext4-grow", 64 * MiB, capability))).Volume;
        var target = await _node.PublishAsync(volume.VolumeId, capability);
        var before = Statfs(target);
        await _driver.Client.Controller.ControllerExpandVolumeAsync(new ControllerExpandVolumeRequest
        {
            VolumeId = volume.VolumeId,
            CapacityRange = new CapacityRange { RequiredBytes = 128 * MiB },
        });
        var request = new NodeExpandVolumeRequest { VolumeId = volume.VolumeId, VolumePath = target, StagingTargetPath = _node.StagingPath(volume.VolumeId) };

        if (HasCapability(CapSysResource))
        {
            await _driver.Client.Node.NodeExpandVolumeAsync(request);
            Assert.True(Statfs(target) > before + 32 * MiB);
        }
        else
        {
            var error = await Assert.ThrowsAsync<RpcException>(async () => await _driver.Client.Node.NodeExpandVolumeAsync(request));
            Assert.Contains("CAP_SYS_RESOURCE", error.Status.Detail);
            Assert.Equal(before, Statfs(target));
            Assert.True(File.Exists(Path.Combine(target, "lost+found")) || Directory.Exists(Path.Combine(target, "lost+found")), "the mounted filesystem stays in place");
        }
    }

    [Fact]
    public async Task BlockVolume_IsWrittenAndReadThroughTheDevice()
    {
        var capability = Requests.Block();
        var volume = (await _driver.Client.Controller.CreateVolumeAsync(Requests.Create("pvc-block", 16 * MiB, capability))).Volume;
        var device = await _node.PublishAsync(volume.VolumeId, capability);

        Assert.True(File.Exists(device), "the target is a file with the device bound on it");
        Assert.Null(MountTable.At(_node.StagingPath(volume.VolumeId)));
        var pattern = new byte[4096];
        new Random(42).NextBytes(pattern);
        Assert.Equal((16 * MiB).ToString(System.Globalization.CultureInfo.InvariantCulture), Shell.Run("blockdev", "--getsize64", device).Trim());
        using (var stream = new FileStream(device, FileMode.Open, FileAccess.ReadWrite))
        {
            stream.Seek(8 * MiB, SeekOrigin.Begin);
            stream.Write(pattern);
            stream.Flush(flushToDisk: true);
        }
        await _node.UnpublishAsync(volume.VolumeId);
        Assert.False(File.Exists(device));

        var again = await _node.PublishAsync(volume.VolumeId, capability, pod: "other");
        var read = new byte[4096];
        using (var stream = new FileStream(again, FileMode.Open, FileAccess.Read))
        {
            stream.Seek(8 * MiB, SeekOrigin.Begin);
            stream.ReadExactly(read);
        }
        Assert.Equal(pattern, read);
        // Staging a block volume never formats it: the pattern is the only thing on the device.
        Assert.Equal(2, Shell.TryRun("blkid", "-p", again).ExitCode);
    }

    [Fact]
    public async Task Restage_KeepsTheFilesystemAndItsData()
    {
        var capability = Requests.Mount("ext4");
        var volume = (await _driver.Client.Controller.CreateVolumeAsync(Requests.Create("pvc-restage", 64 * MiB, capability))).Volume;
        var target = await _node.PublishAsync(volume.VolumeId, capability);
        await File.WriteAllTextAsync(Path.Combine(target, "kept.txt"), "still here");
        await _node.UnpublishAsync(volume.VolumeId);

        var again = await _node.PublishAsync(volume.VolumeId, capability);

        Assert.Equal("still here", await File.ReadAllTextAsync(Path.Combine(again, "kept.txt")));
    }

    [Fact]
    public async Task XfsSnapshotRestore_MountsBesideItsSource_WithTheSnapshotContent()
    {
        var capability = Requests.Mount("xfs");
        var source = (await _driver.Client.Controller.CreateVolumeAsync(Requests.Create("pvc-xfs-src", 320 * MiB, capability))).Volume;
        var sourceTarget = await _node.PublishAsync(source.VolumeId, capability);
        await File.WriteAllTextAsync(Path.Combine(sourceTarget, "data.txt"), "snapshotted");

        var snapshot = (await _driver.Client.Controller.CreateSnapshotAsync(new CreateSnapshotRequest { Name = "xfs-snap", SourceVolumeId = source.VolumeId })).Snapshot;
        await File.WriteAllTextAsync(Path.Combine(sourceTarget, "data.txt"), "changed later");
        var restored = (await _driver.Client.Controller.CreateVolumeAsync(Requests.Create("pvc-xfs-restored", 320 * MiB, capability, source: Requests.FromSnapshot(snapshot.SnapshotId)))).Volume;
        var restoredTarget = await _node.PublishAsync(restored.VolumeId, capability);

        Assert.Equal("xfs", MountTable.FileSystemAt(_node.StagingPath(restored.VolumeId)));
        Assert.Equal("snapshotted", await File.ReadAllTextAsync(Path.Combine(restoredTarget, "data.txt")));
        Assert.Equal("changed later", await File.ReadAllTextAsync(Path.Combine(sourceTarget, "data.txt")));
    }

    [Fact]
    public async Task Delete_DetachesTheLoopDeviceAndRemovesTheImage()
    {
        var capability = Requests.Block();
        var volume = (await _driver.Client.Controller.CreateVolumeAsync(Requests.Create("pvc-gone", 16 * MiB, capability))).Volume;
        await _node.PublishAsync(volume.VolumeId, capability);
        await _node.UnpublishAsync(volume.VolumeId);

        await _driver.Client.Controller.DeleteVolumeAsync(new DeleteVolumeRequest { VolumeId = volume.VolumeId });

        var image = Path.Combine(_pool.VolumesDirectory, volume.VolumeId + ".img");
        Assert.False(File.Exists(image));
        Assert.DoesNotContain(image, Shell.Run("losetup", "--list", "--noheadings", "--output", "BACK-FILE"));
    }

    private const int CapSysResource = 24;

    private static long Statfs(string path) => new DriveInfo(path).TotalSize;

    /// <summary>Whether this process holds a capability in its effective set (/proc/self/status CapEff).</summary>
    private static bool HasCapability(int capability)
    {
        var line = File.ReadLines("/proc/self/status").First(l => l.StartsWith("CapEff:", StringComparison.Ordinal));
        var mask = Convert.ToUInt64(line["CapEff:".Length..].Trim(), 16);
        return (mask & (1UL << capability)) != 0;
    }
}
