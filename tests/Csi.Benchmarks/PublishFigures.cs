namespace Csi.Benchmarks;

/// <summary>NodePublishVolume against the baseline, for one object count.</summary>
internal sealed record PublishFigures(int Objects, LatencyStats Driver, LatencyStats Baseline)
{
    public double RatioP50 => Driver.P50 / Baseline.P50;

    public double RatioP99 => Driver.P99 / Baseline.P99;
}
