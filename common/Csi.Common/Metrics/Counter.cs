using System.Globalization;
using System.Text;

namespace Csi.Common.Metrics;

/// <summary>A monotonically increasing count per label set.</summary>
public sealed class Counter : Metric
{
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, Cell> _series = NewSeries<Cell>();

    internal Counter(string name, string help, string[] labelNames)
        : base(name, help, "counter", labelNames)
    {
    }

    public void Inc(params string[] labelValues) => Add(1, labelValues);

    public void Add(long amount, params string[] labelValues)
    {
        var cell = _series.GetOrAdd(Key(labelValues), static _ => new Cell());
        Interlocked.Add(ref cell.Value, amount);
    }

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
