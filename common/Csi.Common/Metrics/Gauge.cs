using System.Globalization;
using System.Text;

namespace Csi.Common.Metrics;

/// <summary>A value that goes up and down per label set (queue depth, volumes mounted).</summary>
public sealed class Gauge : Metric
{
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, Cell> _series = NewSeries<Cell>();

    internal Gauge(string name, string help, string[] labelNames)
        : base(name, help, "gauge", labelNames)
    {
    }

    public void Set(long value, params string[] labelValues)
        => Interlocked.Exchange(ref _series.GetOrAdd(Key(labelValues), static _ => new Cell()).Value, value);

    public void Add(long amount, params string[] labelValues)
        => Interlocked.Add(ref _series.GetOrAdd(Key(labelValues), static _ => new Cell()).Value, amount);

    public long Value(params string[] labelValues)
        => _series.TryGetValue(Key(labelValues), out var cell) ? Interlocked.Read(ref cell.Value) : 0;

    private protected override void RenderSeries(StringBuilder builder)
    {
        foreach (var (key, cell) in _series.OrderBy(s => s.Key, StringComparer.Ordinal))
        {
            builder.Append(Name);
            AppendLabels(builder, key);
            builder.Append(' ').Append(Interlocked.Read(ref cell.Value).ToString(CultureInfo.InvariantCulture)).Append('\n');
        }
    }

    private sealed class Cell
    {
        public long Value;
    }
}
