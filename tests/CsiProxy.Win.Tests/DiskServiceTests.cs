using CsiProxy.Win.Api.DiskV1;
using CsiProxy.Win.Hosts;
using Grpc.Core;
using Moq;
using DiskGrpc = CsiProxy.Win.Api.DiskV1.Disk;

namespace CsiProxy.Win.Tests;

public sealed class DiskServiceTests : IAsyncLifetime
{
    private ProxyServer _server = null!;
    private DiskGrpc.DiskClient _client = null!;

    public async Task InitializeAsync()
    {
        _server = await ProxyServer.StartAsync();
        _client = new DiskGrpc.DiskClient(_server.Channel(ApiGroup.DiskV1));
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private Mock<IDiskHost> Host => _server.Disks;

    [Fact]
    public async Task ListDiskLocations_parses_each_location_and_skips_unparsable_ones()
    {
        Host.Setup(h => h.ListDiskLocations()).Returns(new Dictionary<uint, string>
        {
            [0] = "Integrated : Adapter 0",
            [2] = "PCI Slot 3 : Adapter 1 : Port 0 : Target 4 : LUN 5",
        });

        var response = await _client.ListDiskLocationsAsync(new ListDiskLocationsRequest());

        var location = Assert.Single(response.DiskLocations);
        Assert.Equal(2u, location.Key);
        Assert.Equal(("1", "0", "4", "5"), (location.Value.Adapter, location.Value.Bus, location.Value.Target, location.Value.LUNID));
    }

    [Fact]
    public async Task ListDiskIDs_maps_page83_and_serial_by_disk_number()
    {
        Host.Setup(h => h.ListDiskIds()).Returns(new Dictionary<uint, HostDiskIds> { [1] = new("60022480abcd", "SN-1") });

        var response = await _client.ListDiskIDsAsync(new ListDiskIDsRequest());

        Assert.Equal(("60022480abcd", "SN-1"), (response.DiskIDs[1].Page83, response.DiskIDs[1].SerialNumber));
    }

    [Fact]
    public async Task PartitionDisk_initializes_a_raw_disk_and_creates_its_partition()
    {
        Host.Setup(h => h.GetLayout(3)).Returns(new HostDiskLayout(IsRaw: true, HasDataPartition: false));
        Host.Setup(h => h.InitializeGpt(3));
        Host.Setup(h => h.CreateMaximumPartition(3));

        await _client.PartitionDiskAsync(new PartitionDiskRequest { DiskNumber = 3 });

        Host.Verify(h => h.InitializeGpt(3), Times.Once);
        Host.Verify(h => h.CreateMaximumPartition(3), Times.Once);
    }

    [Fact]
    public async Task PartitionDisk_of_a_partitioned_disk_is_a_no_op()
    {
        Host.Setup(h => h.GetLayout(3)).Returns(new HostDiskLayout(IsRaw: false, HasDataPartition: true));

        await _client.PartitionDiskAsync(new PartitionDiskRequest { DiskNumber = 3 });

        Host.Verify(h => h.GetLayout(3), Times.Once);
        Host.VerifyNoOtherCalls();
    }

    [Fact]
    public async Task Concurrent_PartitionDisk_calls_on_one_disk_partition_it_once()
    {
        var partitioned = false;
        var creates = 0;
        Host.Setup(h => h.GetLayout(4)).Returns(() => new HostDiskLayout(false, Volatile.Read(ref partitioned)));
        Host.Setup(h => h.CreateMaximumPartition(4)).Callback(() =>
        {
            Interlocked.Increment(ref creates);
            Thread.Sleep(50);
            Volatile.Write(ref partitioned, true);
        });

        await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => _client.PartitionDiskAsync(new PartitionDiskRequest { DiskNumber = 4 }).ResponseAsync));

        Assert.Equal(1, creates);
    }

    [Fact]
    public async Task SetDiskState_changes_only_a_disk_in_the_other_state()
    {
        Host.SetupSequence(h => h.IsOnline(5)).Returns(false).Returns(true);
        Host.Setup(h => h.SetOnline(5, true));

        await _client.SetDiskStateAsync(new SetDiskStateRequest { DiskNumber = 5, IsOnline = true });
        await _client.SetDiskStateAsync(new SetDiskStateRequest { DiskNumber = 5, IsOnline = true });

        Host.Verify(h => h.SetOnline(5, true), Times.Once);
    }

    [Fact]
    public async Task GetDiskState_GetDiskStats_and_Rescan_map_the_host()
    {
        Host.Setup(h => h.IsOnline(6)).Returns(true);
        Host.Setup(h => h.GetSize(6)).Returns(1L << 34);
        Host.Setup(h => h.Rescan());

        Assert.True((await _client.GetDiskStateAsync(new GetDiskStateRequest { DiskNumber = 6 })).IsOnline);
        Assert.Equal(1L << 34, (await _client.GetDiskStatsAsync(new GetDiskStatsRequest { DiskNumber = 6 })).TotalBytes);
        await _client.RescanAsync(new RescanRequest());

        Host.Verify(h => h.Rescan(), Times.Once);
    }

    [Fact]
    public async Task A_missing_disk_is_NotFound()
    {
        Host.Setup(h => h.GetSize(9)).Throws(new ProxyException(ProxyErrorCode.NotFound, "disk_number: no disk 9 on this host"));

        var e = await Assert.ThrowsAsync<RpcException>(() => _client.GetDiskStatsAsync(new GetDiskStatsRequest { DiskNumber = 9 }).ResponseAsync);

        Assert.Equal(StatusCode.NotFound, e.StatusCode);
        Assert.Equal("disk_number: no disk 9 on this host", e.Status.Detail);
    }
}
