using System.Buffers;
using System.Text;

namespace Csi.Common.Metrics;

/// <summary>A set of metrics rendered together in the Prometheus text exposition format (0.0.4).</summary>
public sealed class MetricsRegistry
{
    public const string ContentType = "text/plain; version=0.0.4; charset=utf-8";

    // A scrape renders into one builder kept between scrapes (a scrape's text is about the same size each time), so
    // a scrape allocates little beyond the snapshot of each family's series; past this size it is not kept.
    private const int KeptBuilderChars = 1 << 20;

    private readonly List<Metric> _metrics = [];
    private readonly Lock _lock = new();
    private StringBuilder? _builder;

    public Counter Counter(string name, string help, params string[] labelNames)
        => Register(new Counter(name, help, labelNames));

    public Gauge Gauge(string name, string help, params string[] labelNames)
        => Register(new Gauge(name, help, labelNames));

    public Histogram Histogram(string name, string help, double[] buckets, params string[] labelNames)
        => Register(new Histogram(name, help, buckets, labelNames));

    /// <summary>A family of one series read by <paramref name="read"/> at each scrape; <paramref name="type"/> is "gauge" or "counter".</summary>
    public SampledMetric Sampled(string name, string help, string type, Func<double> read)
    {
        ArgumentNullException.ThrowIfNull(read);
        return type is "gauge" or "counter"
            ? Register(new SampledMetric(name, help, type, read))
            : throw new ArgumentException($"metric {name}: a sampled metric is a gauge or a counter, not {type}", nameof(type));
    }

    /// <summary>The exposition as text (tests and tools; the endpoint writes it with <see cref="WriteToAsync"/>).</summary>
    public string Render()
    {
        lock (_lock)
        {
            return RenderLocked().ToString();
        }
    }

    /// <summary>Writes the exposition as UTF-8 to <paramref name="stream"/> (the <c>/metrics</c> response body).</summary>
    public async Task WriteToAsync(Stream stream, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(stream);
        byte[] buffer;
        int length;
        lock (_lock)
        {
            var builder = RenderLocked();
            buffer = ArrayPool<byte>.Shared.Rent(Encoding.UTF8.GetMaxByteCount(builder.Length));
            length = 0;
            foreach (var chunk in builder.GetChunks())
            {
                length += Encoding.UTF8.GetBytes(chunk.Span, buffer.AsSpan(length));
            }
        }
        try
        {
            await stream.WriteAsync(buffer.AsMemory(0, length), cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private StringBuilder RenderLocked()
    {
        var builder = _builder is { Capacity: <= KeptBuilderChars } kept ? kept.Clear() : new StringBuilder(4096);
        foreach (var metric in _metrics)
        {
            metric.Render(builder);
        }
        _builder = builder;
        return builder;
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
