using System.Globalization;
using System.Text.Json;
using Csi.Testing;

namespace Csi.Benchmarks;

/// <summary>
/// The suite's metrics code against prometheus-net, each in a Native AOT probe (tests/tools/metrics-probes) that
/// registers the driver's ten families, records 10,000 events and scrapes: binary size, RSS after a full collection,
/// bytes allocated and time per scrape; runs of the two probes interleaved so both see the same machine.
/// </summary>
internal sealed class MetricsLibraryBenchmark
{
    private const int Scrapes = 500;

    private static readonly (string Name, string Project, string Binary)[] Probes =
    [
        ("suite (common/Csi.Common/Metrics)", "tests/tools/metrics-probes/suite/MetricsProbe.suite.csproj", "metrics-probe-suite"),
        ("prometheus-net 8.2.1", "tests/tools/metrics-probes/prometheusnet/MetricsProbe.prometheusnet.csproj", "metrics-probe-prometheusnet"),
    ];

    private readonly int _runs;
    private readonly TextWriter _progress;

    public MetricsLibraryBenchmark(int runs, TextWriter progress)
    {
        _runs = runs;
        _progress = progress;
    }

    public async Task<IReadOnlyList<MetricsLibraryFigures>> RunAsync(CancellationToken cancellationToken)
    {
        var binaries = new List<string>();
        foreach (var probe in Probes)
        {
            _progress.WriteLine($"metrics: publishing {probe.Binary} with Native AOT");
            var publish = await AotPublisher.PublishAsync(probe.Project, probe.Binary).WaitAsync(cancellationToken).ConfigureAwait(false);
            if (!publish.Succeeded)
            {
                throw new InvalidOperationException($"dotnet publish of {probe.Binary} failed with exit code {publish.ExitCode}:\n{publish.Log}");
            }
            binaries.Add(publish.BinaryPath);
        }

        var samples = Probes.Select(_ => new List<ProbeRun>()).ToArray();
        for (var run = 0; run < _runs; run++)
        {
            for (var p = 0; p < Probes.Length; p++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var output = Shell.Run(binaries[p], Scrapes.ToString(CultureInfo.InvariantCulture));
                samples[p].Add(JsonSerializer.Deserialize<ProbeRun>(output.Trim(), Json.Options)
                    ?? throw new InvalidOperationException($"{Probes[p].Binary} printed no figures"));
            }
        }
        _progress.WriteLine($"metrics: {_runs} runs of each probe measured");

        return Probes.Select((probe, p) => new MetricsLibraryFigures(
            probe.Name,
            new FileInfo(binaries[p]).Length,
            Median.Of(samples[p].Select(s => (double)s.RssKiB)) / 1024,
            Median.Of(samples[p].Select(s => (double)s.AllocatedPerScrape)),
            Median.Of(samples[p].Select(s => s.MicrosPerScrape)),
            samples[p][0].Exposition)).ToArray();
    }
}

/// <summary>What one probe run prints.</summary>
internal sealed record ProbeRun(long RssKiB, long AllocatedPerScrape, double MicrosPerScrape, long Exposition);
