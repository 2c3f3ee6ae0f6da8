using System.Globalization;
using System.Text;

namespace Csi.Benchmarks;

/// <summary>One Kubernetes client in a Native AOT probe: binary size, time to a synced list+watch and RSS, per claim count.</summary>
internal sealed record KubeClientFigures(string Client, long BinaryBytes, IReadOnlyList<KubeClientRun> Runs)
{
    public static string ToMarkdown(IReadOnlyList<KubeClientFigures> figures)
    {
        var md = new StringBuilder();
        md.AppendLine("## Kubernetes client (Native AOT probe: list + watch every PVC)");
        md.AppendLine();
        md.AppendLine("| client | AOT binary | claims | exec to synced p50 (min-max) | RSS after sync p50 (min-max) |");
        md.AppendLine("|---|---:|---:|---:|---:|");
        foreach (var figure in figures)
        {
            foreach (var run in figure.Runs)
            {
                md.AppendLine(string.Create(CultureInfo.InvariantCulture, $"| {figure.Client} | {figure.BinaryBytes / 1048576.0:0.0} MiB | {run.Claims} | {run.Synced.P50:0} ms ({run.Synced.Min:0}-{run.Synced.Max:0}) | {run.RssMiBP50:0.0} MiB ({run.RssMiBMin:0.0}-{run.RssMiBMax:0.0}) |"));
            }
        }
        md.AppendLine();
        return md.ToString();
    }
}

/// <summary>The starts of one probe at one claim count.</summary>
internal sealed record KubeClientRun(int Claims, LatencyStats Synced, double RssMiBMin, double RssMiBP50, double RssMiBMax);
