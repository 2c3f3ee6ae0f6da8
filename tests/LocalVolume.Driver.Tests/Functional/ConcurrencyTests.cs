using Csi.Testing;
using Csi.V1;
using Grpc.Core;
using LocalVolume.Driver.Tests.Fixtures;

namespace LocalVolume.Driver.Tests.Functional;

/// <summary>Reservations make concurrent creates unable to overcommit a pool.</summary>
public sealed class ConcurrencyTests : IAsyncLifetime
{
    private const long MiB = 1L << 20;

    private StoragePool _pool = null!;
    private LocalDriver _driver = null!;

    public async Task InitializeAsync()
    {
        _pool = StoragePool.Btrfs();
        _driver = await LocalDriver.StartAsync(_pool.Work, [_pool.Flag("small", 640 * MiB)]);
    }

    public async Task DisposeAsync()
    {
        await _driver.DisposeAsync();
        _pool.Dispose();
    }

    [Fact]
    public async Task FiftyConcurrentCreates_OfWhichTenFit_MakeExactlyTenVolumes()
    {
        var calls = Enumerable.Range(0, 50).Select(async i =>
        {
            try
            {
                var response = await _driver.Client.Controller.CreateVolumeAsync(Requests.Create($"pvc-{i}", 64 * MiB));
                return (Code: StatusCode.OK, response.Volume.VolumeId);
            }
            catch (RpcException e)
            {
                return (Code: e.StatusCode, VolumeId: "");
            }
        }).ToList();
        var results = await Task.WhenAll(calls);

        Assert.Equal(10, results.Count(r => r.Code == StatusCode.OK));
        Assert.Equal(40, results.Count(r => r.Code == StatusCode.ResourceExhausted));
        Assert.Equal(10, Directory.GetDirectories(_pool.VolumesDirectory).Length);
        Assert.Equal(10, (await _driver.Client.Controller.ListVolumesAsync(new ListVolumesRequest())).Entries.Count);
        Assert.Equal(0, (await _driver.Client.Controller.GetCapacityAsync(new GetCapacityRequest())).AvailableCapacity);
    }

    [Fact]
    public async Task ConcurrentCreatesOfOneName_MakeOneVolume()
    {
        var calls = Enumerable.Range(0, 20).Select(_ => _driver.Client.Controller.CreateVolumeAsync(Requests.Create("pvc-same", 64 * MiB)).ResponseAsync);
        var results = await Task.WhenAll(calls);

        Assert.Single(results.Select(r => r.Volume.VolumeId).Distinct());
        Assert.Single(Directory.GetDirectories(_pool.VolumesDirectory));
    }
}
