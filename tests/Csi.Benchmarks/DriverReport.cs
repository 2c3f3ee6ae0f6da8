using System.Text;

namespace Csi.Benchmarks;

/// <summary>The driver's figures: size, start-up, memory, publish latency against the baseline.</summary>
internal sealed record DriverReport(
    int ProcessorCount,
    bool DriverIsAot,
    double BinarySizeMiB,
    LatencyStats StartupToFirstProbe,
    double IdleRssMiB,
    int Cycles,
    double RssAtEndOfCyclesMiB,
    double RssAfterCyclesMiB,
    double PeakRssMiB,
    double AllocatedPerCycleBytes,
    double CpuPerCycleMicroseconds,
    int HeldVolumes,
    double RssWithHeldVolumesMiB,
    int Warmup,
    int FileSizeKiB,
    IReadOnlyList<PublishFigures> Publish,
    LatencyStats RepublishNotDue,
    int ProviderCallsDuringRepublish,
    double AllocatedPerRepublishFirstHalf,
    double AllocatedPerRepublishSecondHalf,
    LatencyStats ProbeRoundTrip)
{
    public string ToMarkdown()
    {
        var md = new StringBuilder();
        Line(md, $"Machine: {ProcessorCount} cores, {System.Runtime.InteropServices.RuntimeInformation.OSDescription}");
        Line(md, string.Empty);
        Line(md, "| Figure | Value |");
        Line(md, "|---|---|");
        Line(md, $"| Driver is Native AOT | {(DriverIsAot ? "yes (no libcoreclr.so mapped)" : "no")} |");
        Line(md, $"| AOT binary size | {BinarySizeMiB:F1} MiB |");
        var s = StartupToFirstProbe;
        Line(md, $"| exec -> first Probe ({s.Samples} starts) | median {s.P50:F1} ms (min {s.Min:F1}, max {s.Max:F1}) |");
        Line(md, $"| Idle RSS (1 s after start) | {IdleRssMiB:F1} MiB |");
        Line(md, $"| RSS at the end of {Cycles:N0} publish+unpublish cycles (10 objects) | {RssAtEndOfCyclesMiB:F1} MiB |");
        Line(md, $"| RSS after those cycles, 3 s later (after the idle release) | {RssAfterCyclesMiB:F1} MiB |");
        Line(md, $"| Allocated per publish+unpublish cycle (10 objects) | {AllocatedPerCycleBytes / 1024:F1} KiB |");
        Line(md, $"| Driver CPU time per publish+unpublish cycle (10 objects), user + system | {CpuPerCycleMicroseconds:F0} us |");
        Line(md, $"| RSS with {HeldVolumes} volumes mounted (10 objects each), 3 s after the last | {RssWithHeldVolumesMiB:F1} MiB |");
        Line(md, $"| Peak RSS over the cycles and the {HeldVolumes} volumes | {PeakRssMiB:F1} MiB |");
        var r = RepublishNotDue;
        Line(md, $"| Republish not due (rotation on, 1h), {r.Samples:N0}x | p50 {r.P50:F0} us, p99 {r.P99:F0} us (provider calls: {ProviderCallsDuringRepublish}) |");
        Line(md, $"| Allocated per republish not due, first half / second half of the series | {AllocatedPerRepublishFirstHalf / 1024:F1} / {AllocatedPerRepublishSecondHalf / 1024:F1} KiB |");
        var p = ProbeRoundTrip;
        Line(md, $"| Probe round trip (gRPC floor), {p.Samples:N0}x | p50 {p.P50:F0} us, p99 {p.P99:F0} us |");
        Line(md, string.Empty);

        var iterations = Publish.Count > 0 ? Publish[0].Driver.Samples : 0;
        Line(md, $"NodePublishVolume, {FileSizeKiB} KiB objects, fresh target each time; {iterations} measured after {Warmup} warm-up, driver and baseline interleaved (ms):");
        Line(md, string.Empty);
        Line(md, "| Objects | Driver p50 | Driver p90 | Driver p99 | Baseline p50 | Baseline p99 | Ratio p50 | Ratio p99 |");
        Line(md, "|---:|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var f in Publish)
        {
            Line(md, $"| {f.Objects} | {f.Driver.P50:F2} | {f.Driver.P90:F2} | {f.Driver.P99:F2} | {f.Baseline.P50:F2} | {f.Baseline.P99:F2} | {f.RatioP50:F2}x | {f.RatioP99:F2}x |");
        }
        Line(md, string.Empty);
        Line(md, "Baseline: mkdir + tmpfs mount (LinuxMounter) + one gRPC Mount to the same provider + writing the files with their modes.");

        return md.ToString();
    }

    private static void Line(StringBuilder md, string text) => md.Append(text).Append('\n');
}
