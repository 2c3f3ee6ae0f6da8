using System.Globalization;
using System.Text;

namespace Csi.Common.Metrics;

/// <summary>Observations counted into cumulative buckets per label set.</summary>
public sealed class Histogram : Metric
{
    private readonly double[] _buckets;
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, Series> _series = NewSeries<Series>();

    internal Histogram(string name, string help, double[] buckets, string[] labelNames)
        : base(name, help, "histogram", labelNames)
    {
        if (buckets.Length == 0 || buckets.Zip(buckets.Skip(1)).Any(p => p.First >= p.Second))
        {
            throw new ArgumentException($"histogram {name}: buckets must be non-empty and increasing", nameof(buckets));
        }
        _buckets = buckets;
    }

    public void Observe(double value, params string[] labelValues)
    {
        var series = _series.GetOrAdd(Key(labelValues), _ => new Series(_buckets.Length));
        lock (series)
        {
            for (var i = 0; i < _buckets.Length; i++)
            {
                if (value <= _buckets[i])
                {
                    series.Counts[i]++;
                }
            }
            series.Count++;
            series.Sum += value;
        }
    }

    public long Count(params string[] labelValues)
    {
        if (!_series.TryGetValue(Key(labelValues), out var series))
        {
            return 0;
        }
        lock (series)
        {
            return series.Count;
        }
    }

    private protected override void RenderSeries(StringBuilder builder)
    {
        foreach (var (key, series) in _series.OrderBy(s => s.Key, StringComparer.Ordinal))
        {
            lock (series)
            {
                for (var i = 0; i < _buckets.Length; i++)
                {
                    builder.Append(Name).Append("_bucket");
                    AppendLabels(builder, key, "le", _buckets[i].ToString(CultureInfo.InvariantCulture));
                    builder.Append(' ').Append(series.Counts[i].ToString(CultureInfo.InvariantCulture)).Append('\n');
                }
                builder.Append(Name).Append("_bucket");
                AppendLabels(builder, key, "le", "+Inf");
                builder.Append(' ').Append(series.Count.ToString(CultureInfo.InvariantCulture)).Append('\n');
                builder.Append(Name).Append("_sum");
                AppendLabels(builder, key);
                builder.Append(' ').Append(series.Sum.ToString(CultureInfo.InvariantCulture)).Append('\n');
                builder.Append(Name).Append("_count");
                AppendLabels(builder, key);
                builder.Append(' ').Append(series.Count.ToString(CultureInfo.InvariantCulture)).Append('\n');
            }
        }
    }

    private sealed class Series(int buckets)
    {
        public long[] Counts { get; } = new long[buckets];

        public long Count { get; set; }

        public double Sum { get; set; }
    }
}
