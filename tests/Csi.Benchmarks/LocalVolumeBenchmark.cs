using System.Diagnostics;
using System.Globalization;
using Csi.Client;
using Csi.Testing;
using Csi.V1;
using Grpc.Core;

namespace Csi.Benchmarks;

/// <summary>
/// The local-volume driver, per layout (subvolume on a loop-backed btrfs, image with ext4), through its own process
/// over its unix socket: CreateVolume + NodeStageVolume + NodePublishVolume latency, NodeUnpublishVolume +
/// NodeUnstageVolume + DeleteVolume latency, and volumes made per second by parallel callers, each beside
/// <see cref="LocalVolumeBaseline"/> measured in the same run, interleaved. Everything lives in one
/// <see cref="StoragePool"/> per layout, so an exception or a cancellation still stops the driver, unmounts, detaches
/// the loop devices and deletes it all.
/// </summary>
internal sealed class LocalVolumeBenchmark
{
    public const string Subvolume = "subvolume";
    public const string Image = "image";
    public const int Callers = 10;

    private const string NodeId = "bench-node";
    private const string PoolName = "bench";
    private const long VolumeBytes = 64L << 20;
    private const long BtrfsBytes = 4L << 30;
    private const int Rounds = 2;

    private static readonly VolumeCapability MountCapability = new()
    {
        Mount = new VolumeCapability.Types.MountVolume(),
        AccessMode = new VolumeCapability.Types.AccessMode { Mode = VolumeCapability.Types.AccessMode.Types.Mode.SingleNodeWriter },
    };

    private readonly int _warmup;
    private readonly int _iterations;
    private readonly TextWriter _progress;

    public LocalVolumeBenchmark(int warmup, int iterations, TextWriter progress)
    {
        _warmup = warmup;
        _iterations = iterations;
        _progress = progress;
    }

    /// <summary>Volumes each caller makes per round of the parallel series: at least 2, more with more iterations.</summary>
    private int VolumesPerCaller => Math.Max(2, _iterations / Callers);

    /// <summary>
    /// The pool's budget: every volume of a parallel round at once, and some room. Empty subvolumes and sparse images
    /// take almost no space, so a 4 GiB btrfs holds a budget above its size here.
    /// </summary>
    private long BudgetBytes => Math.Max(3L << 30, (Callers * VolumesPerCaller + 4) * VolumeBytes);

    public async Task<IReadOnlyList<LocalVolumeFigures>> RunAsync(CancellationToken cancellationToken)
    {
        var figures = new List<LocalVolumeFigures>();
        foreach (var layout in new[] { Subvolume, Image })
        {
            figures.Add(await RunLayoutAsync(layout, cancellationToken).ConfigureAwait(false));
        }
        return figures;
    }

    private async Task<LocalVolumeFigures> RunLayoutAsync(string layout, CancellationToken cancellationToken)
    {
        Progress($"local volumes, {layout} layout: making the pool");
        using var pool = layout == Subvolume ? StoragePool.Btrfs(BtrfsBytes) : StoragePool.Images();
        var work = pool.Work;
        var fileSystem = layout == Image ? "ext4" : null;
        var socket = Path.Combine(work, "local-volume.sock");
        List<string> arguments =
        [
            "--endpoint", "unix://" + socket, "--nodeid", NodeId, "--mode", "all",
            "--pool", pool.Flag(PoolName, BudgetBytes, fileSystem),
        ];
        var baseline = new LocalVolumeBaseline(layout, Path.Combine(pool.Directory, "baseline"), VolumeBytes);
        var driver = await DriverProcess.StartAsync(DriverBinary, arguments, "unix://" + socket, work).ConfigureAwait(false);
        await using (driver.ConfigureAwait(false))
        {
            try
            {
                var paths = new NodePaths(work);
                Progress($"local volumes, {layout}: {_warmup} warm-up + {_iterations} create/delete, driver and baseline interleaved");
                var (createDriver, createBaseline, deleteDriver, deleteBaseline) = await MeasureLatencyAsync(driver.Client, baseline, paths, layout, cancellationToken).ConfigureAwait(false);

                Progress($"local volumes, {layout}: {Rounds} rounds of {Callers} parallel callers x {VolumesPerCaller} volumes");
                var (driverRate, baselineRate) = await MeasureThroughputAsync(driver.Client, baseline, paths, layout, cancellationToken).ConfigureAwait(false);

                var exitCode = await driver.StopAsync().ConfigureAwait(false);
                if (exitCode != 0)
                {
                    Progress($"warning: the local-volume driver exited with code {exitCode} on SIGTERM\n{driver.Output}");
                }
                return new LocalVolumeFigures(layout, fileSystem ?? "btrfs", VolumeBytes >> 20, _warmup, createDriver, createBaseline, deleteDriver, deleteBaseline,
                    Callers, Rounds * Callers * VolumesPerCaller, driverRate, baselineRate);
            }
            catch (RpcException e)
            {
                if (e.StatusCode == StatusCode.Cancelled && cancellationToken.IsCancellationRequested)
                {
                    throw new OperationCanceledException("interrupted", e, cancellationToken);
                }
                var output = driver.Output;
                throw new InvalidOperationException($"local-volume driver call failed: {e.Status.StatusCode}: {e.Status.Detail}\n...{output[Math.Max(0, output.Length - 4000)..]}", e);
            }
        }
    }

    private async Task<(LatencyStats CreateDriver, LatencyStats CreateBaseline, LatencyStats DeleteDriver, LatencyStats DeleteBaseline)> MeasureLatencyAsync(
        CsiClient csi, LocalVolumeBaseline baseline, NodePaths paths, string layout, CancellationToken cancellationToken)
    {
        var createDriver = new List<TimeSpan>(_iterations);
        var createBaseline = new List<TimeSpan>(_iterations);
        var deleteDriver = new List<TimeSpan>(_iterations);
        var deleteBaseline = new List<TimeSpan>(_iterations);
        for (var i = 0; i < _warmup + _iterations; i++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var name = "lat-" + i.ToString(CultureInfo.InvariantCulture);
            (TimeSpan Create, TimeSpan Delete) driverTimes, baselineTimes;
            // Alternate the order, so neither side always runs right after the other.
            if (i % 2 == 0)
            {
                driverTimes = await DriverOnceAsync(csi, paths, name, verify: i == 0, cancellationToken).ConfigureAwait(false);
                baselineTimes = BaselineOnce(baseline, paths, name, layout);
            }
            else
            {
                baselineTimes = BaselineOnce(baseline, paths, name, layout);
                driverTimes = await DriverOnceAsync(csi, paths, name, verify: false, cancellationToken).ConfigureAwait(false);
            }
            if (i >= _warmup)
            {
                createDriver.Add(driverTimes.Create);
                deleteDriver.Add(driverTimes.Delete);
                createBaseline.Add(baselineTimes.Create);
                deleteBaseline.Add(baselineTimes.Delete);
            }
        }
        return (LatencyStats.Milliseconds(createDriver), LatencyStats.Milliseconds(createBaseline), LatencyStats.Milliseconds(deleteDriver), LatencyStats.Milliseconds(deleteBaseline));
    }

    /// <summary>
    /// Rounds of <see cref="Callers"/> parallel callers, each making <see cref="VolumesPerCaller"/> volumes one after
    /// another (create + stage + publish), driver and baseline alternating which goes first; the volumes are torn down
    /// after each round, untimed. Returns volumes per second of wall time for each side.
    /// </summary>
    private async Task<(double Driver, double Baseline)> MeasureThroughputAsync(
        CsiClient csi, LocalVolumeBaseline baseline, NodePaths paths, string layout, CancellationToken cancellationToken)
    {
        var driverTime = TimeSpan.Zero;
        var baselineTime = TimeSpan.Zero;
        for (var round = 0; round < Rounds; round++)
        {
            if (round % 2 == 0)
            {
                driverTime += await DriverRoundAsync(csi, paths, round, cancellationToken).ConfigureAwait(false);
                baselineTime += await BaselineRoundAsync(baseline, paths, round, layout, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                baselineTime += await BaselineRoundAsync(baseline, paths, round, layout, cancellationToken).ConfigureAwait(false);
                driverTime += await DriverRoundAsync(csi, paths, round, cancellationToken).ConfigureAwait(false);
            }
        }
        var volumes = (double)(Rounds * Callers * VolumesPerCaller);
        return (volumes / driverTime.TotalSeconds, volumes / baselineTime.TotalSeconds);
    }

    private async Task<TimeSpan> DriverRoundAsync(CsiClient csi, NodePaths paths, int round, CancellationToken cancellationToken)
    {
        var made = new System.Collections.Concurrent.ConcurrentBag<(string Name, string VolumeId)>();
        var clock = Stopwatch.StartNew();
        try
        {
            await Task.WhenAll(Enumerable.Range(0, Callers).Select(async caller =>
            {
                for (var v = 0; v < VolumesPerCaller; v++)
                {
                    var name = ParallelName("drv", round, caller, v);
                    var volumeId = await CreateStagePublishAsync(csi, paths, name, cancellationToken).ConfigureAwait(false);
                    made.Add((name, volumeId));
                }
            })).ConfigureAwait(false);
            return clock.Elapsed;
        }
        finally
        {
            foreach (var (name, volumeId) in made)
            {
                await UnpublishUnstageDeleteAsync(csi, paths, name, volumeId, CancellationToken.None).ConfigureAwait(false);
            }
        }
    }

    private async Task<TimeSpan> BaselineRoundAsync(LocalVolumeBaseline baseline, NodePaths paths, int round, string layout, CancellationToken cancellationToken)
    {
        var made = new System.Collections.Concurrent.ConcurrentBag<LocalVolumeBaseline.Volume>();
        var clock = Stopwatch.StartNew();
        try
        {
            await Task.WhenAll(Enumerable.Range(0, Callers).Select(caller => Task.Run(() =>
            {
                for (var v = 0; v < VolumesPerCaller; v++)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    var name = ParallelName("base-" + layout, round, caller, v);
                    var (volume, _) = baseline.Create(name, paths.Staging(name), paths.Target(name));
                    made.Add(volume);
                }
            }, cancellationToken))).ConfigureAwait(false);
            return clock.Elapsed;
        }
        finally
        {
            foreach (var volume in made)
            {
                baseline.Delete(volume);
                NodePaths.Forget(volume.Staging);
            }
        }
    }

    /// <summary>One driver volume: create + stage + publish (timed), a write through the target when asked, then unpublish + unstage + delete (timed).</summary>
    private static async Task<(TimeSpan Create, TimeSpan Delete)> DriverOnceAsync(CsiClient csi, NodePaths paths, string name, bool verify, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        var volumeId = await CreateStagePublishAsync(csi, paths, name, cancellationToken).ConfigureAwait(false);
        var create = clock.Elapsed;
        if (verify)
        {
            var probe = Path.Combine(paths.Target(name), "probe");
            await File.WriteAllTextAsync(probe, "local volume", cancellationToken).ConfigureAwait(false);
            File.Delete(probe);
        }
        clock.Restart();
        await UnpublishUnstageDeleteAsync(csi, paths, name, volumeId, cancellationToken).ConfigureAwait(false);
        return (create, clock.Elapsed);
    }

    private static (TimeSpan Create, TimeSpan Delete) BaselineOnce(LocalVolumeBaseline baseline, NodePaths paths, string name, string layout)
    {
        var baseName = "base-" + layout + "-" + name;
        var (volume, create) = baseline.Create(baseName, paths.Staging(baseName), paths.Target(baseName));
        var delete = baseline.Delete(volume);
        NodePaths.Forget(volume.Staging);
        return (create, delete);
    }

    /// <summary>CreateVolume, then NodeStageVolume on a fresh staging directory and NodePublishVolume on a target that does not exist yet, as kubelet calls them.</summary>
    private static async Task<string> CreateStagePublishAsync(CsiClient csi, NodePaths paths, string name, CancellationToken cancellationToken)
    {
        var create = new CreateVolumeRequest { Name = name, CapacityRange = new CapacityRange { RequiredBytes = VolumeBytes } };
        create.VolumeCapabilities.Add(MountCapability);
        create.Parameters.Add("pool", PoolName);
        var volume = (await csi.Controller.CreateVolumeAsync(create, cancellationToken: cancellationToken).ConfigureAwait(false)).Volume;
        var staging = paths.NewStaging(name);
        await csi.Node.NodeStageVolumeAsync(new NodeStageVolumeRequest
        {
            VolumeId = volume.VolumeId,
            StagingTargetPath = staging,
            VolumeCapability = MountCapability,
            VolumeContext = { volume.VolumeContext },
        }, cancellationToken: cancellationToken).ConfigureAwait(false);
        await csi.Node.NodePublishVolumeAsync(new NodePublishVolumeRequest
        {
            VolumeId = volume.VolumeId,
            StagingTargetPath = staging,
            TargetPath = paths.Target(name),
            VolumeCapability = MountCapability,
            VolumeContext = { volume.VolumeContext },
        }, cancellationToken: cancellationToken).ConfigureAwait(false);
        return volume.VolumeId;
    }

    private static async Task UnpublishUnstageDeleteAsync(CsiClient csi, NodePaths paths, string name, string volumeId, CancellationToken cancellationToken)
    {
        var staging = paths.Staging(name);
        await csi.Node.NodeUnpublishVolumeAsync(new NodeUnpublishVolumeRequest { VolumeId = volumeId, TargetPath = paths.Target(name) }, cancellationToken: cancellationToken).ConfigureAwait(false);
        await csi.Node.NodeUnstageVolumeAsync(new NodeUnstageVolumeRequest { VolumeId = volumeId, StagingTargetPath = staging }, cancellationToken: cancellationToken).ConfigureAwait(false);
        await csi.Controller.DeleteVolumeAsync(new DeleteVolumeRequest { VolumeId = volumeId }, cancellationToken: cancellationToken).ConfigureAwait(false);
        NodePaths.Forget(staging);
    }

    private static string ParallelName(string prefix, int round, int caller, int volume)
        => string.Create(CultureInfo.InvariantCulture, $"{prefix}-r{round}-c{caller}-v{volume}");

    /// <summary>The driver built beside this program (the benchmark references its project).</summary>
    private static string DriverBinary => Path.Combine(AppContext.BaseDirectory, "local-volume-csi-driver");

    private void Progress(string message) => _progress.WriteLine($"[{DateTime.Now:HH:mm:ss}] {message}");

    /// <summary>Kubelet's side of the paths: a staging directory per volume (made before NodeStageVolume) and a target per pod (made by the publisher).</summary>
    private sealed class NodePaths(string work)
    {
        private readonly string _staging = Directory.CreateDirectory(Path.Combine(work, "staging")).FullName;
        private readonly string _pods = Directory.CreateDirectory(Path.Combine(work, "pods")).FullName;

        public string Staging(string name) => Path.Combine(_staging, name);

        public string NewStaging(string name) => Directory.CreateDirectory(Staging(name)).FullName;

        public string Target(string name) => Path.Combine(_pods, name);

        /// <summary>Removes a staging directory once nothing is mounted on it (kubelet's part of unstaging).</summary>
        public static void Forget(string staging)
        {
            if (Directory.Exists(staging))
            {
                Directory.Delete(staging);
            }
        }
    }
}
