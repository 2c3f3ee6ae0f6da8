namespace Csi.Benchmarks;

/// <summary>One way of rotating all volumes: wall time over the rounds (ms), provider Mount calls per volume per rotation, and the median increase of rotation_reconcile_total per round.</summary>
internal sealed record ReconcilerPath(double MedianMs, double MinMs, double MaxMs, double CallsPerVolume, double MetricDelta)
{
    public static ReconcilerPath From(IReadOnlyList<double> wallMs, IReadOnlyList<double> callsPerVolume, IReadOnlyList<double> metricDeltas)
        => new(Median(wallMs), wallMs.Min(), wallMs.Max(), Median(callsPerVolume), Median(metricDeltas));

    private static double Median(IReadOnlyList<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2;
    }
}
