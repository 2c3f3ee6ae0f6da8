using Csi.Testing;
using Csi.V1;
using LocalVolume.Driver.Tests.Fixtures;

namespace LocalVolume.Driver.Tests.Functional;

/// <summary>
/// State survives a restart, and a crash between two steps of create or delete is repaired by the next start. A crash
/// point is reproduced by leaving the pool as the driver leaves it there: the state file with the record in the phase
/// it is written in before the next step, and the storage as the previous step left it.
/// </summary>
public sealed class RestartRepairTests : IDisposable
{
    private const long MiB = 1L << 20;

    private readonly StoragePool _pool = StoragePool.Btrfs();

    public void Dispose() => _pool.Dispose();

    [Fact]
    public async Task VolumesAndSnapshots_SurviveARestart()
    {
        string volumeId;
        string snapshotId;
        await using (var driver = await StartAsync())
        {
            volumeId = (await driver.Client.Controller.CreateVolumeAsync(Requests.Create("pvc-kept", 64 * MiB))).Volume.VolumeId;
            snapshotId = (await driver.Client.Controller.CreateSnapshotAsync(new CreateSnapshotRequest { Name = "kept-snap", SourceVolumeId = volumeId })).Snapshot.SnapshotId;
        }

        await using var restarted = await StartAsync();
        var volumes = await restarted.Client.Controller.ListVolumesAsync(new ListVolumesRequest());
        var snapshots = await restarted.Client.Controller.ListSnapshotsAsync(new ListSnapshotsRequest());
        Assert.Equal(volumeId, volumes.Entries.Single().Volume.VolumeId);
        Assert.Equal(64 * MiB, volumes.Entries.Single().Volume.CapacityBytes);
        Assert.Equal(snapshotId, snapshots.Entries.Single().Snapshot.SnapshotId);
        var again = await restarted.Client.Controller.CreateVolumeAsync(Requests.Create("pvc-kept", 64 * MiB));
        Assert.Equal(volumeId, again.Volume.VolumeId);
        Assert.True(Directory.Exists(Path.Combine(_pool.VolumesDirectory, volumeId)));
    }

    [Fact]
    public async Task CrashAfterTheSubvolumeWasMadeButBeforeItWasRecordedReady_IsRolledBackAndTheNameCanBeCreatedAgain()
    {
        var volumeId = await CreateThenRewindAsync("pvc-half", "Ready", "Creating");

        await using var restarted = await StartAsync();
        Assert.False(Directory.Exists(Path.Combine(_pool.VolumesDirectory, volumeId)));
        Assert.Empty((await restarted.Client.Controller.ListVolumesAsync(new ListVolumesRequest())).Entries);
        var capacity = await restarted.Client.Controller.GetCapacityAsync(new GetCapacityRequest());
        Assert.Equal(1L << 30, capacity.AvailableCapacity);

        var created = await restarted.Client.Controller.CreateVolumeAsync(Requests.Create("pvc-half", 64 * MiB));
        Assert.NotEqual(volumeId, created.Volume.VolumeId);
        Assert.True(Directory.Exists(Path.Combine(_pool.VolumesDirectory, created.Volume.VolumeId)));
    }

    [Fact]
    public async Task CrashInTheMiddleOfDelete_IsFinishedByTheNextStart()
    {
        var volumeId = await CreateThenRewindAsync("pvc-deleting", "Ready", "Deleting");

        await using var restarted = await StartAsync();
        Assert.False(Directory.Exists(Path.Combine(_pool.VolumesDirectory, volumeId)));
        Assert.Empty((await restarted.Client.Controller.ListVolumesAsync(new ListVolumesRequest())).Entries);
        Assert.DoesNotContain(volumeId, await File.ReadAllTextAsync(_pool.StateFile));
    }

    [Fact]
    public async Task CrashAfterTheRecordWasRemovedButStorageRemained_LeavesNoOrphan()
    {
        string volumeId;
        await using (var driver = await StartAsync())
        {
            volumeId = (await driver.Client.Controller.CreateVolumeAsync(Requests.Create("pvc-orphan", 64 * MiB))).Volume.VolumeId;
        }
        // The state written with the record gone, while the subvolume is still there.
        await File.WriteAllTextAsync(_pool.StateFile, """{ "Version": 1, "Volumes": [], "Snapshots": [] }""");

        await using var restarted = await StartAsync();
        Assert.False(Directory.Exists(Path.Combine(_pool.VolumesDirectory, volumeId)));
    }

    [Fact]
    public async Task CrashWhileDeletingWhenStorageWasAlreadyGone_CompletesWithoutError()
    {
        var volumeId = await CreateThenRewindAsync("pvc-gone", "Ready", "Deleting");
        Shell.Run("btrfs", "subvolume", "delete", Path.Combine(_pool.VolumesDirectory, volumeId));

        await using var restarted = await StartAsync();
        Assert.Empty((await restarted.Client.Controller.ListVolumesAsync(new ListVolumesRequest())).Entries);
    }

    private Task<LocalDriver> StartAsync() => LocalDriver.StartAsync(_pool.Work, [_pool.Flag("pool", 1L << 30)]);

    /// <summary>Creates a volume, stops the driver, and puts the volume's record back to <paramref name="to"/>.</summary>
    private async Task<string> CreateThenRewindAsync(string name, string from, string to)
    {
        string volumeId;
        await using (var driver = await StartAsync())
        {
            volumeId = (await driver.Client.Controller.CreateVolumeAsync(Requests.Create(name, 64 * MiB))).Volume.VolumeId;
        }
        var state = await File.ReadAllTextAsync(_pool.StateFile);
        var phase = $"\"Phase\": \"{from}\"";
        Assert.Contains(phase, state);
        await File.WriteAllTextAsync(_pool.StateFile, state.Replace(phase, $"\"Phase\": \"{to}\"", StringComparison.Ordinal));
        Assert.True(Directory.Exists(Path.Combine(_pool.VolumesDirectory, volumeId)));
        return volumeId;
    }
}
