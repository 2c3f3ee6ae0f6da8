using System.Globalization;
using System.Text;

namespace Csi.Benchmarks;

/// <summary>One metrics library in a Native AOT probe: size, RSS and per-scrape cost (medians over the runs).</summary>
internal sealed record MetricsLibraryFigures(string Library, long BinaryBytes, double RssMiB, double AllocatedBytesPerScrape, double MicrosPerScrape, long ExpositionBytes)
{
    public static string ToMarkdown(IReadOnlyList<MetricsLibraryFigures> figures)
    {
        var md = new StringBuilder();
        md.AppendLine("## Metrics library (Native AOT probe: the driver's ten families, 10,000 events, scrapes)");
        md.AppendLine();
        md.AppendLine("| library | AOT binary | RSS | allocated per scrape | time per scrape | exposition |");
        md.AppendLine("|---|---:|---:|---:|---:|---:|");
        foreach (var f in figures)
        {
            md.AppendLine(string.Create(CultureInfo.InvariantCulture, $"| {f.Library} | {f.BinaryBytes / 1048576.0:0.00} MiB | {f.RssMiB:0.0} MiB | {f.AllocatedBytesPerScrape / 1024:0.0} KiB | {f.MicrosPerScrape:0.0} us | {f.ExpositionBytes} B |"));
        }
        md.AppendLine();
        return md.ToString();
    }
}
