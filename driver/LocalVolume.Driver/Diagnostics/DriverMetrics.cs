using Csi.Common.Metrics;

namespace LocalVolume.Driver.Diagnostics;

/// <summary>The driver's metrics: every CSI call by method and status code, with its duration.</summary>
public sealed class DriverMetrics
{
    private static readonly double[] DurationBuckets = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60];

    public DriverMetrics(MetricsRegistry registry)
    {
        ArgumentNullException.ThrowIfNull(registry);
        Calls = registry.Counter("local_volume_csi_calls_total", "CSI calls by method and gRPC status code.", "method", "code");
        CallDuration = registry.Histogram("local_volume_csi_call_duration_seconds", "Time spent in one CSI call.", DurationBuckets, "method");
    }

    public Counter Calls { get; }

    public Histogram CallDuration { get; }
}
