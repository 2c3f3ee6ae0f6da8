using System.Globalization;
using System.Text;

namespace Csi.Benchmarks;

/// <summary>One node binary at start and at rest (medians over the starts).</summary>
internal sealed record BinaryFigures(
    string Binary,
    double SizeMiB,
    LatencyStats SocketBound,
    LatencyStats FirstRpc,
    LatencyStats CpuToFirstRpc,
    double IdleRssMiB,
    double IdleAnonMiB,
    double IdleFileMiB,
    int IdleThreads)
{
    public static string ToMarkdown(IReadOnlyList<BinaryFigures> figures)
    {
        var md = new StringBuilder();
        var starts = figures.Count > 0 ? figures[0].FirstRpc.Samples : 0;
        md.AppendLine(CultureInfo.InvariantCulture, $"## Node binaries (Native AOT): start-up and rest, medians of {starts} starts each, round-robin");
        md.AppendLine();
        md.AppendLine("| binary | AOT size | exec -> socket | exec -> first RPC (min-max) | vs baseline | CPU to first RPC | idle RSS | anon / file | threads |");
        md.AppendLine("|---|---:|---:|---:|---:|---:|---:|---:|---:|");
        var baseline = figures.Count > 0 ? figures[0].FirstRpc.P50 : double.NaN;
        foreach (var f in figures)
        {
            md.AppendLine(string.Create(CultureInfo.InvariantCulture,
                $"| {f.Binary} | {f.SizeMiB:0.0} MiB | {f.SocketBound.P50:0} ms | {f.FirstRpc.P50:0} ms ({f.FirstRpc.Min:0}-{f.FirstRpc.Max:0}) | {f.FirstRpc.P50 / baseline:0.00}x | {f.CpuToFirstRpc.P50:0} ms | {f.IdleRssMiB:0.0} MiB | {f.IdleAnonMiB:0.0} / {f.IdleFileMiB:0.0} MiB | {f.IdleThreads} |"));
        }
        md.AppendLine();
        md.AppendLine("First RPC: CSI Identity.Probe for the CSI binaries, the provider API's Version for providers. Idle: one second after the first RPC.");
        md.AppendLine("Anonymous memory is each process's own; file-backed pages (the mapped binary) are shared by every copy on a node.");
        md.AppendLine();
        return md.ToString();
    }
}
