using System.Text;

namespace Csi.Benchmarks;

/// <summary>
/// The local-volume driver against the baseline for one layout: create + stage + publish and unpublish + unstage +
/// delete latency, and volumes made per second by parallel callers.
/// </summary>
internal sealed record LocalVolumeFigures(
    string Layout,
    string FileSystem,
    long VolumeMiB,
    int Warmup,
    LatencyStats CreateDriver,
    LatencyStats CreateBaseline,
    LatencyStats DeleteDriver,
    LatencyStats DeleteBaseline,
    int Callers,
    int ParallelVolumes,
    double DriverVolumesPerSecond,
    double BaselineVolumesPerSecond)
{
    public double CreateRatioP50 => CreateDriver.P50 / CreateBaseline.P50;

    public double CreateRatioP99 => CreateDriver.P99 / CreateBaseline.P99;

    public double DeleteRatioP50 => DeleteDriver.P50 / DeleteBaseline.P50;

    public double DeleteRatioP99 => DeleteDriver.P99 / DeleteBaseline.P99;

    /// <summary>Driver throughput over baseline throughput (below 1: the driver makes fewer volumes per second).</summary>
    public double ThroughputRatio => DriverVolumesPerSecond / BaselineVolumesPerSecond;

    public static string ToMarkdown(IReadOnlyList<LocalVolumeFigures> figures)
    {
        var md = new StringBuilder();
        if (figures.Count == 0)
        {
            return string.Empty;
        }
        var first = figures[0];
        Line(md, $"Local-volume driver over its unix socket (`--mode all`), {first.VolumeMiB} MiB volumes; {first.CreateDriver.Samples} measured after {first.Warmup} warm-up, driver and baseline interleaved (ms):");
        Line(md, string.Empty);
        Line(md, "| Layout | Steps | Driver p50 | Driver p99 | Baseline p50 | Baseline p99 | Ratio p50 | Ratio p99 |");
        Line(md, "|---|---|---:|---:|---:|---:|---:|---:|");
        foreach (var f in figures)
        {
            var layout = $"{f.Layout} ({f.FileSystem})";
            Line(md, $"| {layout} | Create + Stage + Publish | {f.CreateDriver.P50:F1} | {f.CreateDriver.P99:F1} | {f.CreateBaseline.P50:F1} | {f.CreateBaseline.P99:F1} | {f.CreateRatioP50:F2}x | {f.CreateRatioP99:F2}x |");
            Line(md, $"| {layout} | Unpublish + Unstage + Delete | {f.DeleteDriver.P50:F1} | {f.DeleteDriver.P99:F1} | {f.DeleteBaseline.P50:F1} | {f.DeleteBaseline.P99:F1} | {f.DeleteRatioP50:F2}x | {f.DeleteRatioP99:F2}x |");
        }
        Line(md, string.Empty);
        Line(md, $"Volumes made (create + stage + publish) per second by {first.Callers} parallel callers, {first.ParallelVolumes} volumes per side:");
        Line(md, string.Empty);
        Line(md, "| Layout | Driver vol/s | Baseline vol/s | Ratio |");
        Line(md, "|---|---:|---:|---:|");
        foreach (var f in figures)
        {
            Line(md, $"| {f.Layout} ({f.FileSystem}) | {f.DriverVolumesPerSecond:F1} | {f.BaselineVolumesPerSecond:F1} | {f.ThroughputRatio:F2}x |");
        }
        Line(md, string.Empty);
        Line(md, "Baseline, subvolume: `btrfs subvolume create` + `btrfs qgroup limit`, bind mount on the staging path, bind mount on the target; teardown: two unmounts + `btrfs subvolume delete`.");
        Line(md, "Baseline, image: sparse file (ftruncate) + `losetup --find --show` + `mkfs.ext4 -q -m 0` + mount on the staging path + bind mount on the target; teardown: two unmounts + `losetup --detach` + unlink.");
        return md.ToString();
    }

    private static void Line(StringBuilder md, string text) => md.Append(text).Append('\n');
}
