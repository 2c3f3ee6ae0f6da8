using System.Globalization;
using System.Text;

namespace Csi.Benchmarks;

/// <summary>Azure provider Mount latency for one object count, first mount or rotation, with requests per mount.</summary>
internal sealed record AzureMountFigures(int Objects, bool Rotation, LatencyStats Mount, double VaultRequestsPerMount, double TokenRequestsPerMount)
{
    public static string ToMarkdown(IReadOnlyList<AzureMountFigures> figures)
    {
        var md = new StringBuilder();
        var iterations = figures.Count > 0 ? figures[0].Mount.Samples : 0;
        md.Append(CultureInfo.InvariantCulture, $"Azure provider Mount over its unix socket, against the Key Vault sandbox behind an HTTPS proxy (secrets of 4 KiB, workload identity); {iterations} measured (ms):\n\n");
        md.Append("| Objects | Mount | p50 | p90 | p99 | Key Vault requests per mount | Token requests per mount |\n");
        md.Append("|---:|---|---:|---:|---:|---:|---:|\n");
        foreach (var f in figures)
        {
            md.Append(CultureInfo.InvariantCulture, $"| {f.Objects} | {(f.Rotation ? "rotation (current versions sent)" : "first")} | {f.Mount.P50:F2} | {f.Mount.P90:F2} | {f.Mount.P99:F2} | {f.VaultRequestsPerMount:F1} | {f.TokenRequestsPerMount:F2} |\n");
        }

        return md.ToString();
    }
}
