namespace Csi.Common.Metrics;

/// <summary>A monotonically increasing count per label set.</summary>
public sealed class Counter : ScalarMetric
{
    internal Counter(string name, string help, string[] labelNames)
        : base(name, help, "counter", labelNames)
    {
    }

    public void Inc(params ReadOnlySpan<string> labelValues) => Add(1, labelValues);

    public void Add(long amount, params ReadOnlySpan<string> labelValues)
        => Interlocked.Add(ref ValueOf(labelValues), amount);
}
