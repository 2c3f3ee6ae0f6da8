using System.Globalization;
using System.Text;

namespace Csi.Benchmarks;

/// <summary>
/// One run of the provisioner section: claims created at once until all are Bound, then deleted until every volume is
/// gone; API requests per claim by "verb resource" for each phase; CreateVolume calls; the provisioner's RSS.
/// </summary>
internal sealed record ProvisionerFigures(
    string ClientLimit,
    double Qps,
    int Burst,
    int Claims,
    double SecondsToBound,
    double ClaimsPerSecond,
    double SecondsToDeleted,
    double DeletedPerSecond,
    int CreateVolumeCalls,
    double CreateVolumeMeanMs,
    IReadOnlyDictionary<string, double> ProvisionRequestsPerClaim,
    IReadOnlyDictionary<string, double> DeleteRequestsPerClaim,
    int EventsDropped,
    CpuSeconds ProvisionCpu,
    CpuSeconds DeleteCpu,
    double RssIdleMiB,
    double RssBoundMiB,
    double RssPeakMiB,
    double RssAfterMiB)
{
    /// <summary>Every request the provisioner made per claim while provisioning: our client's limiter waits for each (watches too).</summary>
    public double ProvisionRequests => ProvisionRequestsPerClaim.Values.Sum();

    /// <summary>The same without watches: what client-go's limiter would count (it never throttles a watch).</summary>
    public double ProvisionRequestsClientGoCounts => ProvisionRequestsPerClaim.Where(r => !r.Key.StartsWith("watch ", StringComparison.Ordinal)).Sum(r => r.Value);

    /// <summary>Claims per second that upstream's QPS 5 allows at this run's request count per claim (burst aside).</summary>
    public double UpstreamQpsBound => ProvisionerBenchmark.UpstreamQps / ProvisionRequests;

    public static string ToMarkdown(IReadOnlyList<ProvisionerFigures> figures)
    {
        var md = new StringBuilder();
        Line(md, "## Provisioner (csi-provisioner AOT process, local-volume driver `--mode controller` on an image pool in a tmpfs, API sandbox)");
        Line(md, string.Empty);
        Line(md, "| client limit | PVCs | all Bound | PVC/s | QPS 5 bound (5 / requests per PVC) | API requests per PVC | CreateVolume calls (mean) | all deleted | PV/s deleted | RSS idle | RSS all Bound | RSS peak | RSS after delete |");
        Line(md, "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var f in figures)
        {
            Line(md, $"| {f.ClientLimit} | {f.Claims} | {f.SecondsToBound:0.0} s | {f.ClaimsPerSecond:0.0} | {f.UpstreamQpsBound:0.00} | {f.ProvisionRequests:0.00} | {f.CreateVolumeCalls} ({f.CreateVolumeMeanMs:0.0} ms) | {f.SecondsToDeleted:0.0} s | {f.DeletedPerSecond:0.0} | {f.RssIdleMiB:0.0} MiB | {f.RssBoundMiB:0.0} MiB | {f.RssPeakMiB:0.0} MiB | {f.RssAfterMiB:0.0} MiB |");
        }
        Line(md, string.Empty);
        Line(md, "API requests per PVC by verb and resource (the provisioner's user agent in the sandbox's request log, from the first claim until the last is Bound, then until the last volume is gone):");
        Line(md, string.Empty);
        var header = new StringBuilder("| request |");
        var rule = new StringBuilder("|---|");
        foreach (var f in figures)
        {
            header.Append(CultureInfo.InvariantCulture, $" provision, {f.ClientLimit} | delete, {f.ClientLimit} |");
            rule.Append("---:|---:|");
        }
        Line(md, header.ToString());
        Line(md, rule.ToString());
        var keys = figures.SelectMany(f => f.ProvisionRequestsPerClaim.Keys.Concat(f.DeleteRequestsPerClaim.Keys)).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal);
        foreach (var key in keys)
        {
            var row = new StringBuilder().Append(CultureInfo.InvariantCulture, $"| {key} |");
            foreach (var f in figures)
            {
                row.Append(CultureInfo.InvariantCulture, $" {Cell(f.ProvisionRequestsPerClaim, key)} | {Cell(f.DeleteRequestsPerClaim, key)} |");
            }
            Line(md, row.ToString());
        }
        Line(md, string.Empty);
        Line(md, "CPU seconds while provisioning and while deleting, per process (the API sandbox shares the benchmark's process), and events the provisioner's recorder dropped (its queue holds 1,000):");
        Line(md, string.Empty);
        Line(md, "| client limit | provision: provisioner | driver | API sandbox | delete: provisioner | driver | API sandbox | events dropped |");
        Line(md, "|---|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var f in figures)
        {
            Line(md, $"| {f.ClientLimit} | {f.ProvisionCpu.Provisioner:0.0} | {f.ProvisionCpu.Driver:0.0} | {f.ProvisionCpu.Sandbox:0.0} | {f.DeleteCpu.Provisioner:0.0} | {f.DeleteCpu.Driver:0.0} | {f.DeleteCpu.Sandbox:0.0} | {f.EventsDropped} |");
        }
        Line(md, string.Empty);
        Line(md, "Events go through a queue to one writer and wait for the same token bucket as the PV writes, so most are written after the claims are Bound or dropped: the requests per PVC while provisioning leave them out, and so does the QPS 5 bound.");
        Line(md, "Our client waits for its token bucket before every request, watches included; client-go's limiter skips watches. No watch was opened during the runs unless the table lists one, so both count the same here.");
        return md.ToString();
    }

    private static string Cell(IReadOnlyDictionary<string, double> perClaim, string key)
        => perClaim.TryGetValue(key, out var value) ? value.ToString("0.000", CultureInfo.InvariantCulture) : "-";

    private static void Line(StringBuilder md, string text) => md.Append(text).Append('\n');
}

/// <summary>CPU seconds (user + system) of each process over one phase.</summary>
internal sealed record CpuSeconds(double Provisioner, double Driver, double Sandbox)
{
    public static CpuSeconds operator -(CpuSeconds later, CpuSeconds earlier)
        => new(later.Provisioner - earlier.Provisioner, later.Driver - earlier.Driver, later.Sandbox - earlier.Sandbox);
}
