namespace Csi.Common.Metrics;

/// <summary>A value that goes up and down per label set (queue depth, volumes mounted).</summary>
public sealed class Gauge : ScalarMetric
{
    internal Gauge(string name, string help, string[] labelNames)
        : base(name, help, "gauge", labelNames)
    {
    }

    public void Set(long value, params ReadOnlySpan<string> labelValues)
        => Interlocked.Exchange(ref ValueOf(labelValues), value);

    public void Add(long amount, params ReadOnlySpan<string> labelValues)
        => Interlocked.Add(ref ValueOf(labelValues), amount);
}
