using System.Globalization;
using System.Text;

namespace Csi.Benchmarks;

/// <summary>
/// AWS provider Mount latency for one object count, as a first mount or as a rotation with nothing changed, and the
/// calls each mount made: to AWS by operation, and Kubernetes API reads.
/// </summary>
internal sealed record AwsMountFigures(
    int Objects,
    bool Rotation,
    LatencyStats Mount,
    double AssumeRoleWithWebIdentityPerMount,
    double GetSecretValuePerMount,
    double DescribeSecretPerMount,
    double KubernetesReadsPerMount)
{
    public static string ToMarkdown(IReadOnlyList<AwsMountFigures> figures)
    {
        ArgumentNullException.ThrowIfNull(figures);
        var md = new StringBuilder();
        var iterations = figures.Count > 0 ? figures[0].Mount.Samples : 0;
        md.Append(CultureInfo.InvariantCulture, $"AWS provider Mount over its unix socket, against the AWS sandbox on loopback (Secrets Manager, 4 KiB per object, IRSA, one pod token); {iterations} measured (ms; calls per mount):\n");
        md.Append('\n');
        md.Append("| Objects | Mount | p50 | p90 | p99 | AssumeRoleWithWebIdentity | GetSecretValue | DescribeSecret | Kubernetes reads |\n");
        md.Append("|---:|---|---:|---:|---:|---:|---:|---:|---:|\n");
        foreach (var f in figures)
        {
            md.Append(CultureInfo.InvariantCulture, $"| {f.Objects} | {(f.Rotation ? "rotation, unchanged" : "first")} | {f.Mount.P50:F2} | {f.Mount.P90:F2} | {f.Mount.P99:F2} | {f.AssumeRoleWithWebIdentityPerMount:F2} | {f.GetSecretValuePerMount:F1} | {f.DescribeSecretPerMount:F1} | {f.KubernetesReadsPerMount:F1} |\n");
        }
        md.Append('\n');
        md.Append("The provider runs with its default --qps/--burst; the service account's role is read once and remembered (30 s), so measured mounts make no Kubernetes reads.\n");
        return md.ToString();
    }
}
