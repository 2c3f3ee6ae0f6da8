using System.Globalization;
using System.Text;

namespace Csi.Common.Metrics;

/// <summary>One 64-bit value per label set: what a counter and a gauge share (they differ only in how it changes).</summary>
public abstract class ScalarMetric : Metric
{
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string[], Cell> _series = NewSeries<Cell>();

    private protected ScalarMetric(string name, string help, string type, string[] labelNames)
        : base(name, help, type, labelNames)
    {
    }

    /// <summary>The current value of the series of <paramref name="labelValues"/>; 0 when it was never touched.</summary>
    public long Value(params ReadOnlySpan<string> labelValues)
        => TryGet(_series, labelValues, out var cell) ? Interlocked.Read(ref cell.Value) : 0;

    private protected ref long ValueOf(ReadOnlySpan<string> labelValues)
        => ref GetOrAdd(_series, labelValues, static values => new Cell(values)).Value;

    private protected override void RenderSeries(StringBuilder builder)
    {
        foreach (var (_, cell) in Ordered(_series))
        {
            builder.Append(Name);
            AppendLabels(builder, cell.LabelValues);
            builder.Append(CultureInfo.InvariantCulture, $" {Interlocked.Read(ref cell.Value)}\n");
        }
    }

    private sealed class Cell(string[] labelValues)
    {
        public long Value;

        public string[] LabelValues { get; } = labelValues;
    }
}
