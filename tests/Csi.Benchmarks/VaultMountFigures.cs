using System.Text;

namespace Csi.Benchmarks;

/// <summary>Vault provider Mount latency for one object count, with or without its token cache.</summary>
internal sealed record VaultMountFigures(int Objects, bool TokenCache, LatencyStats Mount, double LoginsPerMount, double VaultRequestsPerMount)
{
    public static string ToMarkdown(IReadOnlyList<VaultMountFigures> figures)
    {
        var md = new StringBuilder();
        var vaultIterations = figures.Count > 0 ? figures[0].Mount.Samples : 0;
        Line(md, $"Vault provider Mount over its unix socket, against the Vault sandbox on loopback (KV v2, 4 KiB per object); {vaultIterations} measured (ms):");
        Line(md, string.Empty);
        Line(md, "| Objects | Token cache | p50 | p90 | p99 | Logins per mount | Vault requests per mount |");
        Line(md, "|---:|---|---:|---:|---:|---:|---:|");
        foreach (var v in figures)
        {
            Line(md, $"| {v.Objects} | {(v.TokenCache ? "on" : "off")} | {v.Mount.P50:F2} | {v.Mount.P90:F2} | {v.Mount.P99:F2} | {v.LoginsPerMount:F2} | {v.VaultRequestsPerMount:F1} |");
        }
        return md.ToString();
    }

    private static void Line(StringBuilder md, string text) => md.Append(text).Append('\n');
}
