using CsiProxy.Win.Api.VolumeV1;
using CsiProxy.Win.Hosts;
using Grpc.Core;
using Moq;
using VolumeGrpc = CsiProxy.Win.Api.VolumeV1.Volume;

namespace CsiProxy.Win.Tests;

/// <summary>The volume group through a real gRPC client on its own socket, over a Moq'd host.</summary>
public sealed class VolumeServiceTests : IAsyncLifetime
{
    private const string Id = @"\\?\Volume{0a1b2c3d-1111-2222-3333-444455556666}\";
    private const string OtherId = @"\\?\Volume{99999999-1111-2222-3333-444455556666}\";
    private const string Target = @"C:\var\lib\kubelet\plugins\kubernetes.io\csi\pv\pv-1\globalmount";
    private const long Gi = 1L << 30;

    private ProxyServer _server = null!;
    private VolumeGrpc.VolumeClient _client = null!;

    public async Task InitializeAsync()
    {
        _server = await ProxyServer.StartAsync();
        _client = new VolumeGrpc.VolumeClient(_server.Channel(ApiGroup.VolumeV1));
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private Mock<IVolumeHost> Host => _server.Volumes;

    [Fact]
    public async Task ListVolumesOnDisk_returns_the_hosts_volume_ids()
    {
        Host.Setup(h => h.ListVolumesOnDisk(2, 0)).Returns([Id, OtherId]);

        var response = await _client.ListVolumesOnDiskAsync(new ListVolumesOnDiskRequest { DiskNumber = 2 });

        Assert.Equal([Id, OtherId], response.VolumeIds);
    }

    [Fact]
    public async Task MountVolume_mounts_a_canonical_id_at_the_canonical_path()
    {
        Host.Setup(h => h.GetVolumeMountedAt(Target)).Returns((string?)null);
        Host.Setup(h => h.Mount(Id, Target));

        await _client.MountVolumeAsync(new MountVolumeRequest { VolumeId = Id.ToUpperInvariant().Replace("VOLUME", "Volume").TrimEnd('\\'), TargetPath = Target.Replace('\\', '/') });

        Host.Verify(h => h.Mount(Id, Target), Times.Once);
    }

    [Fact]
    public async Task MountVolume_of_the_volume_already_there_is_a_no_op()
    {
        Host.Setup(h => h.GetVolumeMountedAt(Target)).Returns(Id.ToUpperInvariant());

        await _client.MountVolumeAsync(new MountVolumeRequest { VolumeId = Id, TargetPath = Target });

        Host.Verify(h => h.Mount(It.IsAny<string>(), It.IsAny<string>()), Times.Never);
    }

    [Fact]
    public async Task MountVolume_over_another_volume_is_FailedPrecondition()
    {
        Host.Setup(h => h.GetVolumeMountedAt(Target)).Returns(OtherId);

        var e = await Assert.ThrowsAsync<RpcException>(() => _client.MountVolumeAsync(new MountVolumeRequest { VolumeId = Id, TargetPath = Target }).ResponseAsync);

        Assert.Equal(StatusCode.FailedPrecondition, e.StatusCode);
        Assert.StartsWith("target_path:", e.Status.Detail);
    }

    [Theory]
    [InlineData("", Target, "volume_id")]
    [InlineData("C:", Target, "volume_id")]
    [InlineData(Id, "", "target_path")]
    [InlineData(Id, @"C:\var\lib\kubelet-evil\x", "target_path")]
    [InlineData(Id, @"C:\var\lib\kubelet\..\..\Windows", "target_path")]
    [InlineData(Id, @"\\server\share\x", "target_path")]
    [InlineData(Id, @"C:\var\lib\kubelet\x:ads", "target_path")]
    public async Task MountVolume_refuses_bad_fields_with_InvalidArgument_before_touching_the_host(string id, string target, string field)
    {
        var e = await Assert.ThrowsAsync<RpcException>(() => _client.MountVolumeAsync(new MountVolumeRequest { VolumeId = id, TargetPath = target }).ResponseAsync);

        Assert.Equal(StatusCode.InvalidArgument, e.StatusCode);
        Assert.StartsWith(field + ":", e.Status.Detail);
        Host.VerifyNoOtherCalls();
    }

    [Fact]
    public async Task UnmountVolume_flushes_then_removes_the_mount_point_and_is_a_no_op_when_nothing_is_mounted()
    {
        var order = new List<string>();
        Host.SetupSequence(h => h.GetVolumeMountedAt(Target)).Returns(Id).Returns((string?)null);
        Host.Setup(h => h.Flush(Id)).Callback(() => order.Add("flush"));
        Host.Setup(h => h.Unmount(Target)).Callback(() => order.Add("unmount"));

        await _client.UnmountVolumeAsync(new UnmountVolumeRequest { VolumeId = Id, TargetPath = Target });
        await _client.UnmountVolumeAsync(new UnmountVolumeRequest { VolumeId = Id, TargetPath = Target });

        Assert.Equal(["flush", "unmount"], order);
    }

    [Fact]
    public async Task FormatVolume_formats_only_an_unformatted_volume()
    {
        Host.SetupSequence(h => h.IsFormatted(Id)).Returns(false).Returns(true);
        Host.Setup(h => h.FormatNtfs(Id));

        await _client.FormatVolumeAsync(new FormatVolumeRequest { VolumeId = Id });
        await _client.FormatVolumeAsync(new FormatVolumeRequest { VolumeId = Id });

        Host.Verify(h => h.FormatNtfs(Id), Times.Once);
    }

    [Fact]
    public async Task Concurrent_FormatVolume_calls_on_one_volume_format_it_once()
    {
        var formatted = false;
        var formats = 0;
        Host.Setup(h => h.IsFormatted(Id)).Returns(() => Volatile.Read(ref formatted));
        Host.Setup(h => h.FormatNtfs(Id)).Callback(() =>
        {
            Interlocked.Increment(ref formats);
            Thread.Sleep(50);
            Volatile.Write(ref formatted, true);
        });

        await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => _client.FormatVolumeAsync(new FormatVolumeRequest { VolumeId = Id }).ResponseAsync));

        Assert.Equal(1, formats);
    }

    [Fact]
    public async Task IsVolumeFormatted_reports_the_host()
    {
        Host.Setup(h => h.IsFormatted(Id)).Returns(true);

        Assert.True((await _client.IsVolumeFormattedAsync(new IsVolumeFormattedRequest { VolumeId = Id })).Formatted);
    }

    [Theory]
    [InlineData(0, 20 * Gi)]
    [InlineData(15 * Gi, 15 * Gi)]
    [InlineData(40 * Gi, 20 * Gi)]
    public async Task ResizeVolume_grows_to_the_size_asked_for_capped_at_the_maximum(long asked, long expected)
    {
        Host.Setup(h => h.GetPartitionSize(Id)).Returns(new HostPartitionSize(10 * Gi, 20 * Gi));
        Host.Setup(h => h.ResizePartition(Id, expected));

        await _client.ResizeVolumeAsync(new ResizeVolumeRequest { VolumeId = Id, SizeBytes = asked });

        Host.Verify(h => h.ResizePartition(Id, expected), Times.Once);
    }

    [Theory]
    [InlineData(10 * Gi + 1024 * 1024)]
    [InlineData(10 * Gi)]
    [InlineData(10 * Gi - 1024 * 1024)]
    public async Task ResizeVolume_by_less_than_the_minimum_extent_is_a_no_op(long asked)
    {
        Host.Setup(h => h.GetPartitionSize(Id)).Returns(new HostPartitionSize(10 * Gi, 10 * Gi + 50 * 1024 * 1024));

        await _client.ResizeVolumeAsync(new ResizeVolumeRequest { VolumeId = Id, SizeBytes = asked });

        Host.Verify(h => h.ResizePartition(It.IsAny<string>(), It.IsAny<long>()), Times.Never);
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(Gi)]
    public async Task ResizeVolume_refuses_negative_sizes_and_shrinking(long asked)
    {
        Host.Setup(h => h.GetPartitionSize(Id)).Returns(new HostPartitionSize(10 * Gi, 20 * Gi));

        var e = await Assert.ThrowsAsync<RpcException>(() => _client.ResizeVolumeAsync(new ResizeVolumeRequest { VolumeId = Id, SizeBytes = asked }).ResponseAsync);

        Assert.Equal(StatusCode.InvalidArgument, e.StatusCode);
        Assert.StartsWith("size_bytes:", e.Status.Detail);
    }

    [Fact]
    public async Task Stats_disk_number_target_path_and_cache_calls_map_the_host()
    {
        Host.Setup(h => h.GetStats(Id)).Returns(new HostVolumeStats(100, 40));
        Host.Setup(h => h.GetDiskNumber(Id)).Returns(7u);
        Host.Setup(h => h.GetVolumeIdFromTargetPath(Target)).Returns(Id);
        Host.Setup(h => h.Flush(Id));

        var stats = await _client.GetVolumeStatsAsync(new GetVolumeStatsRequest { VolumeId = Id });
        var disk = await _client.GetDiskNumberFromVolumeIDAsync(new GetDiskNumberFromVolumeIDRequest { VolumeId = Id });
        var volume = await _client.GetVolumeIDFromTargetPathAsync(new GetVolumeIDFromTargetPathRequest { TargetPath = Target });
        await _client.WriteVolumeCacheAsync(new WriteVolumeCacheRequest { VolumeId = Id });

        Assert.Equal((100, 40), (stats.TotalBytes, stats.UsedBytes));
        Assert.Equal(7u, disk.DiskNumber);
        Assert.Equal(Id, volume.VolumeId);
        Host.Verify(h => h.Flush(Id), Times.Once);
    }

    [Fact]
    public async Task A_host_not_found_is_NotFound_and_any_other_host_failure_is_Internal_with_its_message()
    {
        Host.Setup(h => h.GetStats(Id)).Throws(new ProxyException(ProxyErrorCode.NotFound, "volume_id: no volume"));
        Host.Setup(h => h.GetDiskNumber(Id)).Throws(new IOException("the device is not ready"));

        var notFound = await Assert.ThrowsAsync<RpcException>(() => _client.GetVolumeStatsAsync(new GetVolumeStatsRequest { VolumeId = Id }).ResponseAsync);
        var failed = await Assert.ThrowsAsync<RpcException>(() => _client.GetDiskNumberFromVolumeIDAsync(new GetDiskNumberFromVolumeIDRequest { VolumeId = Id }).ResponseAsync);

        Assert.Equal(StatusCode.NotFound, notFound.StatusCode);
        Assert.Equal((StatusCode.Internal, "the device is not ready"), (failed.StatusCode, failed.Status.Detail));
    }
}
