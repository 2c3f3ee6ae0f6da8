using System.Text;

namespace Csi.Common.Metrics;

/// <summary>A set of metrics rendered together in the Prometheus text exposition format (0.0.4).</summary>
public sealed class MetricsRegistry
{
    public const string ContentType = "text/plain; version=0.0.4; charset=utf-8";

    private readonly List<Metric> _metrics = [];
    private readonly Lock _lock = new();

    public Counter Counter(string name, string help, params string[] labelNames)
        => Register(new Counter(name, help, labelNames));

    public Gauge Gauge(string name, string help, params string[] labelNames)
        => Register(new Gauge(name, help, labelNames));

    public Histogram Histogram(string name, string help, double[] buckets, params string[] labelNames)
        => Register(new Histogram(name, help, buckets, labelNames));

    public string Render()
    {
        var builder = new StringBuilder();
        lock (_lock)
        {
            foreach (var metric in _metrics)
            {
                metric.Render(builder);
            }
        }
        return builder.ToString();
    }

    private T Register<T>(T metric)
        where T : Metric
    {
        lock (_lock)
        {
            if (_metrics.Find(m => m.Name == metric.Name) is { } existing)
            {
                // Two users of one family (two work queues, say) share it, as with prometheus-net; a clash is a bug.
                return existing is T same && same.LabelNames.SequenceEqual(metric.LabelNames)
                    ? same
                    : throw new InvalidOperationException($"metric {metric.Name} is registered twice with different types or labels");
            }
            _metrics.Add(metric);
        }
        return metric;
    }
}
