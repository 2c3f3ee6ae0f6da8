using System.Diagnostics;
using System.Globalization;
using Csi.Client;
using Csi.Testing;
using Grpc.Core;

namespace Csi.Benchmarks;

/// <summary>
/// Runs every measurement against the AOT driver and an in-process <see cref="BenchProvider"/>. Everything it mounts
/// lives in one <see cref="StandaloneDriverLayout"/> and every driver in a <see cref="DriverProcess"/>, so an
/// exception or a cancellation still unmounts, stops and deletes all of it.
/// </summary>
internal sealed class DriverBenchmark
{
    private const int CycleObjects = 10;
    private const int HeldVolumes = 100;
    private const double MiB = 1024 * 1024;

    private static readonly int[] ObjectCounts = [1, 10, 50];
    private static readonly TimeSpan Settle = TimeSpan.FromSeconds(1);

    /// <summary>After a burst: long enough for the driver's idle release (its first quiet look, within two seconds).</summary>
    private static readonly TimeSpan SettleAfterLoad = TimeSpan.FromSeconds(3);

    private readonly BenchmarkOptions _options;
    private readonly TextWriter _progress;

    public DriverBenchmark(BenchmarkOptions options, TextWriter progress)
    {
        _options = options;
        _progress = progress;
    }

    public async Task<DriverReport> RunAsync(CancellationToken cancellationToken)
    {
        Progress("publishing the driver with Native AOT");
        var publish = await AotPublisher.PublishDriverAsync().WaitAsync(cancellationToken).ConfigureAwait(false);
        if (!publish.Succeeded)
        {
            throw new InvalidOperationException($"dotnet publish of the driver failed with exit code {publish.ExitCode}:\n{publish.Log}");
        }
        var binary = publish.BinaryPath;

        using var layout = new StandaloneDriverLayout();
        using var http = new HttpClient();
        await using var provider = await BenchProvider.StartAsync(layout.ProvidersDirectory).ConfigureAwait(false);
        foreach (var count in ObjectCounts)
        {
            layout.WriteManifest(ClassName(count), provider.Manifest(ClassName(count), count));
        }

        Progress($"timing {_options.Starts} starts");
        var startup = await MeasureStartupAsync(binary, layout, cancellationToken).ConfigureAwait(false);

        bool isAot;
        double idleRss, cyclesEndRss, cyclesRss, peakRss, heldRss;
        double allocatedPerCycle, cpuPerCycle;
        var publishFigures = new List<PublishFigures>();
        var driver = await DriverProcess.StartAsync(binary, layout.Arguments(), layout.Endpoint, layout.WorkingDirectory).ConfigureAwait(false);
        await using (driver.ConfigureAwait(false))
        {
            try
            {
                isAot = IsNativeAot(driver.Pid);
                await Task.Delay(Settle, cancellationToken).ConfigureAwait(false);
                idleRss = driver.ReadRssKiB() / 1024.0;

                Progress($"{_options.Cycles} publish+unpublish cycles of {CycleObjects} objects");
                // The first cycle is untimed and uncounted: it makes what every later one reuses.
                await PublishOnceAsync(driver.Client, layout, CycleObjects, verify: true, cancellationToken).ConfigureAwait(false);
                var allocatedBefore = await AllocatedBytesAsync(http, layout, cancellationToken).ConfigureAwait(false);
                var cpuBefore = driver.ReadCpuTime();
                for (var i = 0; i < _options.Cycles; i++)
                {
                    await PublishOnceAsync(driver.Client, layout, CycleObjects, verify: false, cancellationToken).ConfigureAwait(false);
                }
                cpuPerCycle = (driver.ReadCpuTime() - cpuBefore).TotalMicroseconds / Math.Max(1, _options.Cycles);
                allocatedPerCycle = (await AllocatedBytesAsync(http, layout, cancellationToken).ConfigureAwait(false) - allocatedBefore) / Math.Max(1, _options.Cycles);
                cyclesEndRss = driver.ReadRssKiB() / 1024.0;
                await Task.Delay(SettleAfterLoad, cancellationToken).ConfigureAwait(false);
                cyclesRss = driver.ReadRssKiB() / 1024.0;

                Progress($"{HeldVolumes} volumes of {CycleObjects} objects mounted at once");
                heldRss = await HoldVolumesAsync(driver, layout, cancellationToken).ConfigureAwait(false);
                peakRss = driver.ReadPeakRssKiB() / 1024.0;

                using var baseline = new BaselinePublisher(provider.SocketPath);
                foreach (var count in ObjectCounts)
                {
                    Progress($"publish latency, {count} objects");
                    publishFigures.Add(await MeasurePublishAsync(driver.Client, baseline, layout, count, cancellationToken).ConfigureAwait(false));
                }
            }
            catch (RpcException e)
            {
                throw DriverFailed(e, driver, cancellationToken);
            }
            await StopAsync(driver).ConfigureAwait(false);
        }

        Progress($"{_options.Republishes} republishes not due for rotation");
        LatencyStats republish, probe;
        int providerCalls;
        (double First, double Second) allocatedPerRepublish;
        driver = await DriverProcess.StartAsync(binary, layout.Arguments(enableRotation: true, rotationPollInterval: "1h"), layout.Endpoint, layout.WorkingDirectory).ConfigureAwait(false);
        await using (driver.ConfigureAwait(false))
        {
            try
            {
                (republish, providerCalls, allocatedPerRepublish) = await MeasureRepublishAsync(driver.Client, http, layout, provider, cancellationToken).ConfigureAwait(false);
                probe = await MeasureProbeAsync(driver.Client, cancellationToken).ConfigureAwait(false);
            }
            catch (RpcException e)
            {
                throw DriverFailed(e, driver, cancellationToken);
            }
            await StopAsync(driver).ConfigureAwait(false);
        }

        return new DriverReport(
            Environment.ProcessorCount,
            isAot,
            new FileInfo(binary).Length / MiB,
            startup,
            idleRss,
            _options.Cycles,
            cyclesEndRss,
            cyclesRss,
            peakRss,
            allocatedPerCycle,
            cpuPerCycle,
            HeldVolumes,
            heldRss,
            _options.Warmup,
            BenchProvider.DefaultFileSize / 1024,
            publishFigures,
            republish,
            providerCalls,
            allocatedPerRepublish.First,
            allocatedPerRepublish.Second,
            probe);
    }

    private async Task<LatencyStats> MeasureStartupAsync(string binary, StandaloneDriverLayout layout, CancellationToken cancellationToken)
    {
        var samples = new List<TimeSpan>();
        // The first start is untimed: it warms this process's gRPC client and the page cache.
        for (var i = 0; i <= _options.Starts; i++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var driver = await DriverProcess.StartAsync(binary, layout.Arguments(), layout.Endpoint, layout.WorkingDirectory).ConfigureAwait(false);
            await using (driver.ConfigureAwait(false))
            {
                if (i > 0)
                {
                    samples.Add(driver.StartupTime);
                }
                await StopAsync(driver).ConfigureAwait(false);
            }
        }
        return LatencyStats.Milliseconds(samples);
    }

    private async Task<PublishFigures> MeasurePublishAsync(CsiClient csi, BaselinePublisher baseline, StandaloneDriverLayout layout, int count, CancellationToken cancellationToken)
    {
        var attributes = BaselinePublisher.Attributes(ClassName(count), count, StandaloneDriverLayout.PodNamespace);
        var driverSamples = new List<TimeSpan>(_options.Iterations);
        var baselineSamples = new List<TimeSpan>(_options.Iterations);
        for (var i = 0; i < _options.Warmup + _options.Iterations; i++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            TimeSpan driverTime, baselineTime;
            // Alternate the order, so neither side always runs right after the other.
            if (i % 2 == 0)
            {
                driverTime = await PublishOnceAsync(csi, layout, count, verify: i == 0, cancellationToken).ConfigureAwait(false);
                baselineTime = await BaselineOnceAsync(baseline, layout, attributes, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                baselineTime = await BaselineOnceAsync(baseline, layout, attributes, cancellationToken).ConfigureAwait(false);
                driverTime = await PublishOnceAsync(csi, layout, count, verify: false, cancellationToken).ConfigureAwait(false);
            }
            if (i >= _options.Warmup)
            {
                driverSamples.Add(driverTime);
                baselineSamples.Add(baselineTime);
            }
        }
        return new PublishFigures(count, LatencyStats.Milliseconds(driverSamples), LatencyStats.Milliseconds(baselineSamples));
    }

    private async Task<(LatencyStats Latency, int ProviderCalls, (double First, double Second) AllocatedPerCall)> MeasureRepublishAsync(
        CsiClient csi, HttpClient http, StandaloneDriverLayout layout, BenchProvider provider, CancellationToken cancellationToken)
    {
        var target = layout.NewTarget();
        var request = StandaloneDriverLayout.PublishRequest(ClassName(CycleObjects), target);
        await csi.Node.NodePublishVolumeAsync(request, cancellationToken: cancellationToken).ConfigureAwait(false);
        for (var i = 0; i < _options.Warmup; i++)
        {
            await csi.Node.NodePublishVolumeAsync(request, cancellationToken: cancellationToken).ConfigureAwait(false);
        }

        var callsBefore = provider.MountCalls;
        var samples = new List<TimeSpan>(_options.Republishes);
        // Allocations over each half of the series: equal halves mean a republish leaves nothing behind that grows.
        var half = _options.Republishes / 2;
        var allocated = new[] { await AllocatedBytesAsync(http, layout, cancellationToken).ConfigureAwait(false), 0, 0 };
        for (var i = 0; i < _options.Republishes; i++)
        {
            var clock = Stopwatch.StartNew();
            await csi.Node.NodePublishVolumeAsync(request, cancellationToken: cancellationToken).ConfigureAwait(false);
            samples.Add(clock.Elapsed);
            if (i == half - 1)
            {
                allocated[1] = await AllocatedBytesAsync(http, layout, cancellationToken).ConfigureAwait(false);
            }
        }
        allocated[2] = await AllocatedBytesAsync(http, layout, cancellationToken).ConfigureAwait(false);
        var providerCalls = provider.MountCalls - callsBefore;
        await csi.Node.NodeUnpublishVolumeAsync(StandaloneDriverLayout.UnpublishRequest(request), cancellationToken: cancellationToken).ConfigureAwait(false);
        var perCall = ((allocated[1] - allocated[0]) / Math.Max(1, half), (allocated[2] - allocated[1]) / Math.Max(1, _options.Republishes - half));
        return (LatencyStats.Microseconds(samples), providerCalls, perCall);
    }

    /// <summary>Publishes <see cref="HeldVolumes"/> volumes, reads the driver's RSS with all of them mounted, then unpublishes them.</summary>
    private static async Task<double> HoldVolumesAsync(DriverProcess driver, StandaloneDriverLayout layout, CancellationToken cancellationToken)
    {
        var requests = new List<Csi.V1.NodePublishVolumeRequest>(HeldVolumes);
        try
        {
            for (var i = 0; i < HeldVolumes; i++)
            {
                var request = StandaloneDriverLayout.PublishRequest(ClassName(CycleObjects), layout.NewTarget());
                await driver.Client.Node.NodePublishVolumeAsync(request, cancellationToken: cancellationToken).ConfigureAwait(false);
                requests.Add(request);
            }
            await Task.Delay(SettleAfterLoad, cancellationToken).ConfigureAwait(false);
            return driver.ReadRssKiB() / 1024.0;
        }
        finally
        {
            foreach (var request in requests)
            {
                await driver.Client.Node.NodeUnpublishVolumeAsync(StandaloneDriverLayout.UnpublishRequest(request), cancellationToken: CancellationToken.None).ConfigureAwait(false);
            }
        }
    }

    /// <summary>The driver's dotnet_gc_allocated_bytes_total (a counter: the parsed family drops _total), from its /metrics.</summary>
    private static async Task<double> AllocatedBytesAsync(HttpClient http, StandaloneDriverLayout layout, CancellationToken cancellationToken)
    {
        var text = await http.GetStringAsync(layout.MetricsUri, cancellationToken).ConfigureAwait(false);
        return PrometheusText.Family(PrometheusText.Parse(text), "dotnet_gc_allocated_bytes").Samples[0].Value;
    }

    /// <summary>Probe round trips, as many as republishes: the floor a republish cannot go below.</summary>
    private async Task<LatencyStats> MeasureProbeAsync(CsiClient csi, CancellationToken cancellationToken)
    {
        var request = new Csi.V1.ProbeRequest();
        var samples = new List<TimeSpan>(_options.Republishes);
        for (var i = 0; i < _options.Warmup + _options.Republishes; i++)
        {
            var clock = Stopwatch.StartNew();
            await csi.Identity.ProbeAsync(request, cancellationToken: cancellationToken).ConfigureAwait(false);
            if (i >= _options.Warmup)
            {
                samples.Add(clock.Elapsed);
            }
        }
        return LatencyStats.Microseconds(samples);
    }

    /// <summary>Publishes a fresh volume of <paramref name="count"/> objects (timed), then unpublishes it (untimed).</summary>
    private static async Task<TimeSpan> PublishOnceAsync(CsiClient csi, StandaloneDriverLayout layout, int count, bool verify, CancellationToken cancellationToken)
    {
        var target = layout.NewTarget();
        var request = StandaloneDriverLayout.PublishRequest(ClassName(count), target);
        var clock = Stopwatch.StartNew();
        await csi.Node.NodePublishVolumeAsync(request, cancellationToken: cancellationToken).ConfigureAwait(false);
        var elapsed = clock.Elapsed;
        if (verify && (!File.Exists(Path.Combine(target, BenchProvider.FileName(count - 1))) || File.Exists(Path.Combine(target, BenchProvider.FileName(count)))))
        {
            throw new InvalidOperationException($"the driver did not write the {count} expected files into {target}");
        }
        await csi.Node.NodeUnpublishVolumeAsync(StandaloneDriverLayout.UnpublishRequest(request), cancellationToken: cancellationToken).ConfigureAwait(false);
        return elapsed;
    }

    private static async Task<TimeSpan> BaselineOnceAsync(BaselinePublisher baseline, StandaloneDriverLayout layout, string attributes, CancellationToken cancellationToken)
    {
        var target = layout.NewTarget();
        var elapsed = await baseline.PublishAsync(attributes, target, cancellationToken).ConfigureAwait(false);
        baseline.Unpublish(target);
        return elapsed;
    }

    private async Task StopAsync(DriverProcess driver)
    {
        var exitCode = await driver.StopAsync().ConfigureAwait(false);
        if (exitCode != 0)
        {
            Progress($"warning: the driver exited with code {exitCode} on SIGTERM\n{driver.Output}");
        }
    }

    /// <summary>A Native AOT process has no CoreCLR runtime library mapped.</summary>
    private static bool IsNativeAot(int pid)
        => ProcessMemory.Mappings(pid, "libcoreclr.so").Count == 0;

    private static Exception DriverFailed(RpcException e, DriverProcess driver, CancellationToken cancellationToken)
    {
        if (e.StatusCode == StatusCode.Cancelled && cancellationToken.IsCancellationRequested)
        {
            return new OperationCanceledException("interrupted", e, cancellationToken);
        }
        var output = driver.Output;
        return new InvalidOperationException($"driver call failed: {e.Status.StatusCode}: {e.Status.Detail}\n...{output[Math.Max(0, output.Length - 4000)..]}", e);
    }

    private static string ClassName(int count) => "bench-" + count.ToString(CultureInfo.InvariantCulture);

    private void Progress(string message) => _progress.WriteLine($"[{DateTime.Now:HH:mm:ss}] {message}");
}
