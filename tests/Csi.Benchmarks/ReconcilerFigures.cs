using System.Globalization;
using System.Text;

namespace Csi.Benchmarks;

/// <summary>
/// The reconciler section: wall time to rotate every volume mounted on one node through the rotation reconciler's
/// pass, beside the same rotations driven by kubelet-style republishes, and provider Mount calls per volume per
/// rotation when nothing changed. Medians over the rounds; min and max beside them.
/// </summary>
internal sealed record ReconcilerFigures(int Volumes, int ObjectsPerVolume, int Rounds, int Concurrency, ReconcilerPath Reconciler, ReconcilerPath Republish)
{
    public string ToMarkdown()
    {
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"### Rotation of {Volumes} mounted volumes on one node ({ObjectsPerVolume} objects of 4 KiB each, nothing changed), median of {Rounds} rounds\n\n");
        text.Append("| Path | Wall time, all volumes (min-max) | Per volume | Provider Mount calls per volume per rotation | rotation_reconcile_total per round |\n");
        text.Append("|---|---|---|---|---|\n");
        Row(text, $"Reconciler pass (`RunOnceAsync`, at most {Concurrency} at once)", Reconciler);
        Row(text, $"Kubelet republish (`NodePublishVolume` again, {Concurrency} callers)", Republish);
        return text.ToString();
    }

    private void Row(StringBuilder text, string name, ReconcilerPath path)
        => text.Append(CultureInfo.InvariantCulture, $"| {name} | {path.MedianMs:F0} ms ({path.MinMs:F0}-{path.MaxMs:F0}) | {path.MedianMs / Volumes:F2} ms | {path.CallsPerVolume:F2} | {path.MetricDelta:F0} |\n");
}
