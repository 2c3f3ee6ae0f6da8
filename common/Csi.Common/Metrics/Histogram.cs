using System.Globalization;
using System.Text;

namespace Csi.Common.Metrics;

/// <summary>Observations counted into cumulative buckets per label set.</summary>
public sealed class Histogram : Metric
{
    private readonly double[] _buckets;
    private readonly string[] _bucketLabels;
    private readonly Func<string[], Series> _newSeries;
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string[], Series> _series = NewSeries<Series>();

    internal Histogram(string name, string help, double[] buckets, string[] labelNames)
        : base(name, help, "histogram", labelNames)
    {
        if (buckets.Length == 0 || buckets.Zip(buckets.Skip(1)).Any(p => p.First >= p.Second))
        {
            throw new ArgumentException($"histogram {name}: buckets must be non-empty and increasing", nameof(buckets));
        }
        _buckets = buckets;
        _bucketLabels = Array.ConvertAll(buckets, b => b.ToString(CultureInfo.InvariantCulture));
        _newSeries = values => new Series(values, buckets.Length); // made once: a lambda per Observe would allocate
    }

    public void Observe(double value, params ReadOnlySpan<string> labelValues)
    {
        var series = GetOrAdd(_series, labelValues, _newSeries);
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

    public long Count(params ReadOnlySpan<string> labelValues)
    {
        if (!TryGet(_series, labelValues, out var series))
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
        foreach (var (_, series) in Ordered(_series))
        {
            lock (series)
            {
                for (var i = 0; i < _buckets.Length; i++)
                {
                    builder.Append(Name).Append("_bucket");
                    AppendLabels(builder, series.LabelValues, "le", _bucketLabels[i]);
                    builder.Append(CultureInfo.InvariantCulture, $" {series.Counts[i]}\n");
                }
                builder.Append(Name).Append("_bucket");
                AppendLabels(builder, series.LabelValues, "le", "+Inf");
                builder.Append(CultureInfo.InvariantCulture, $" {series.Count}\n");
                builder.Append(Name).Append("_sum");
                AppendLabels(builder, series.LabelValues);
                builder.Append(CultureInfo.InvariantCulture, $" {series.Sum}\n");
                builder.Append(Name).Append("_count");
                AppendLabels(builder, series.LabelValues);
                builder.Append(CultureInfo.InvariantCulture, $" {series.Count}\n");
            }
        }
    }

    private sealed class Series(string[] labelValues, int buckets)
    {
        public string[] LabelValues { get; } = labelValues;

        public long[] Counts { get; } = new long[buckets];

        public long Count { get; set; }

        public double Sum { get; set; }
    }
}
