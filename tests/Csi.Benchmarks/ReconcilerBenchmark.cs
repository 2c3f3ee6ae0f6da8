using System.Diagnostics;
using System.Globalization;
using Csi.Client;
using Csi.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using SecretsStore.Driver;
using SecretsStore.Driver.Publishing;
using SecretsStore.Driver.Rotation;

namespace Csi.Benchmarks;

/// <summary>
/// The rotation reconciler against kubelet's republish, in one run on one driver: 100 volumes published on real
/// tmpfs mounts from the in-process bench provider (same answer every time: nothing changes), then in each round
/// all of them rotated once by a reconciler pass and once by 100 NodePublishVolume calls as kubelet sends them. The
/// driver runs in this process (the build beside the benchmark, not the AOT binary), so that the pass can be run
/// directly: <c>RunOnceAsync</c> without the start spread the scheduled pass adds (half the poll interval), which
/// would measure the schedule rather than the work. Its timer is off so that no scheduled pass interferes.
/// </summary>
internal sealed class ReconcilerBenchmark
{
    private const int Volumes = 100;
    private const int Objects = 10;
    private const int Rounds = 5;
    private const int Concurrency = 10; // the reconciler's default --rotation-max-concurrency; kubelet's callers likewise
    private static readonly TimeSpan PollInterval = TimeSpan.FromSeconds(2);

    private readonly TextWriter _progress;

    public ReconcilerBenchmark(TextWriter progress)
    {
        _progress = progress;
    }

    public async Task<ReconcilerFigures> RunAsync(CancellationToken cancellationToken)
    {
        using var layout = new StandaloneDriverLayout();
        await using var provider = await BenchProvider.StartAsync(layout.ProvidersDirectory).ConfigureAwait(false);
        const string ClassName = "bench-reconciler";
        layout.WriteManifest(ClassName, provider.Manifest(ClassName, Objects));

        var arguments = layout.Arguments(enableRotation: true, rotationPollInterval: "2s").Concat(["--rotation-reconciler=false", $"--rotation-max-concurrency={Concurrency}"]).ToArray();
        var driver = DriverHost.Build(DriverOptions.Parse(arguments), TimeProvider.System, logging => logging.ClearProviders());
        await using var _ = driver.ConfigureAwait(false);
        await driver.StartAsync(cancellationToken).ConfigureAwait(false);
        using var csi = CsiClient.Connect(layout.Endpoint);
        using var http = new HttpClient();
        var publisher = driver.Services.GetRequiredService<NodePublisher>();
        var reconciler = driver.Services.GetRequiredService<RotationReconciler>();

        Progress($"publishing {Volumes} volumes of {Objects} objects");
        var requests = new List<Csi.V1.NodePublishVolumeRequest>(Volumes);
        for (var i = 0; i < Volumes; i++)
        {
            var request = StandaloneDriverLayout.PublishRequest(ClassName, layout.NewTarget());
            await csi.Node.NodePublishVolumeAsync(request, cancellationToken: cancellationToken).ConfigureAwait(false);
            requests.Add(request);
        }
        var targets = requests.Select(r => NodePublisher.NormalizeTarget(r.TargetPath)).ToArray();

        var reconcileMs = new List<double>();
        var reconcileCalls = new List<double>();
        var reconcileMetric = new List<double>();
        var republishMs = new List<double>();
        var republishCalls = new List<double>();
        var republishMetric = new List<double>();
        // Round 0 warms both paths up and is not counted.
        for (var round = 0; round <= Rounds; round++)
        {
            Progress(round == 0 ? "warm-up round" : $"round {round} of {Rounds}");

            await WaitUntilDueAsync(publisher, targets, reconciler.DueAfter, cancellationToken).ConfigureAwait(false);
            var (calls, metric) = (provider.MountCalls, await RotationsAsync(http, layout, cancellationToken).ConfigureAwait(false));
            var clock = Stopwatch.StartNew();
            var pass = await reconciler.RunOnceAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
            var elapsed = clock.Elapsed;
            if (pass.Fetched != Volumes)
            {
                throw new InvalidOperationException($"the reconciler's pass rotated {pass.Fetched} of {Volumes} volumes ({pass})");
            }
            var reconcileRotations = await RotationsAsync(http, layout, cancellationToken).ConfigureAwait(false) - metric;
            if (round > 0)
            {
                reconcileMs.Add(elapsed.TotalMilliseconds);
                reconcileCalls.Add((provider.MountCalls - calls) / (double)Volumes);
                reconcileMetric.Add(reconcileRotations);
            }

            // Kubelet republishes when rotation is due by --rotation-poll-interval, the whole interval.
            await WaitUntilDueAsync(publisher, targets, PollInterval, cancellationToken).ConfigureAwait(false);
            (calls, metric) = (provider.MountCalls, await RotationsAsync(http, layout, cancellationToken).ConfigureAwait(false));
            clock.Restart();
            await Parallel.ForEachAsync(
                requests,
                new ParallelOptions { MaxDegreeOfParallelism = Concurrency, CancellationToken = cancellationToken },
                async (request, ct) => await csi.Node.NodePublishVolumeAsync(request, cancellationToken: ct).ConfigureAwait(false)).ConfigureAwait(false);
            elapsed = clock.Elapsed;
            var republishRotations = await RotationsAsync(http, layout, cancellationToken).ConfigureAwait(false) - metric;
            if (republishRotations != Volumes)
            {
                throw new InvalidOperationException($"{Volumes} republishes rotated {republishRotations} volumes");
            }
            if (round > 0)
            {
                republishMs.Add(elapsed.TotalMilliseconds);
                republishCalls.Add((provider.MountCalls - calls) / (double)Volumes);
                republishMetric.Add(republishRotations);
            }
        }

        Progress("unpublishing");
        foreach (var request in requests)
        {
            await csi.Node.NodeUnpublishVolumeAsync(StandaloneDriverLayout.UnpublishRequest(request), cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        await driver.StopAsync(CancellationToken.None).ConfigureAwait(false);
        return new ReconcilerFigures(
            Volumes,
            Objects,
            Rounds,
            Concurrency,
            ReconcilerPath.From(reconcileMs, reconcileCalls, reconcileMetric),
            ReconcilerPath.From(republishMs, republishCalls, republishMetric));
    }

    /// <summary>Waits until every volume last fetched at least <paramref name="dueAfter"/> ago, on the driver's own record.</summary>
    private static async Task WaitUntilDueAsync(NodePublisher publisher, IReadOnlyList<string> targets, TimeSpan dueAfter, CancellationToken cancellationToken)
    {
        while (targets.Any(t => publisher.SinceLastFetch(t) is not { } since || since < dueAfter))
        {
            await Task.Delay(TimeSpan.FromMilliseconds(50), cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>The driver's rotation_reconcile_total, all labels summed: the rotations that fetched, from either path.</summary>
    private static async Task<double> RotationsAsync(HttpClient http, StandaloneDriverLayout layout, CancellationToken cancellationToken)
    {
        var text = await http.GetStringAsync(layout.MetricsUri, cancellationToken).ConfigureAwait(false);
        return text.Split('\n')
            .Where(l => l.StartsWith("rotation_reconcile_total{", StringComparison.Ordinal))
            .Sum(l => double.Parse(l[(l.LastIndexOf(' ') + 1)..], CultureInfo.InvariantCulture));
    }

    private void Progress(string message) => _progress.WriteLine($"[{DateTime.Now:HH:mm:ss}] reconciler: {message}");
}
