using Csi.Common.Metrics;

namespace Csi.Common.Tests;

public class MetricsRegistryTests
{
    [Fact]
    public void Render_CounterWithLabels_InPrometheusTextFormat()
    {
        var registry = new MetricsRegistry();
        var counter = registry.Counter("node_publish_total", "Publishes.", "provider", "os_type");
        counter.Inc("vault", "linux");
        counter.Add(2, "vault", "linux");
        counter.Inc("azure", "linux");

        var text = registry.Render();

        Assert.Contains("# HELP node_publish_total Publishes.\n", text, StringComparison.Ordinal);
        Assert.Contains("# TYPE node_publish_total counter\n", text, StringComparison.Ordinal);
        Assert.Contains("node_publish_total{provider=\"vault\",os_type=\"linux\"} 3\n", text, StringComparison.Ordinal);
        Assert.Contains("node_publish_total{provider=\"azure\",os_type=\"linux\"} 1\n", text, StringComparison.Ordinal);
        Assert.Equal(3, counter.Value("vault", "linux"));
    }

    [Fact]
    public async Task WriteToAsync_WritesTheRenderedTextAsUtf8_AndAScrapeAfterAChangeShowsIt()
    {
        var registry = new MetricsRegistry();
        var counter = registry.Counter("c_total", "Non-ASCII help: \u00e9t\u00e9.", "l");
        counter.Inc("caf\u00e9");
        using var first = new MemoryStream();
        await registry.WriteToAsync(first);
        counter.Inc("caf\u00e9");
        counter.Inc("other");
        using var second = new MemoryStream();
        await registry.WriteToAsync(second);

        Assert.Equal("# HELP c_total Non-ASCII help: \u00e9t\u00e9.\n# TYPE c_total counter\nc_total{l=\"caf\u00e9\"} 1\n", System.Text.Encoding.UTF8.GetString(first.ToArray()));
        Assert.Equal(registry.Render(), System.Text.Encoding.UTF8.GetString(second.ToArray()));
        Assert.Contains("c_total{l=\"caf\u00e9\"} 2\nc_total{l=\"other\"} 1\n", registry.Render(), StringComparison.Ordinal);
    }

    [Fact]
    public void Render_EscapesLabelValues()
    {
        var registry = new MetricsRegistry();
        registry.Counter("c_total", "c", "l").Inc("a\"b\\c\nd");
        Assert.Contains("c_total{l=\"a\\\"b\\\\c\\nd\"} 1", registry.Render(), StringComparison.Ordinal);
    }

    [Fact]
    public void Render_HistogramIsCumulative_WithSumAndCount()
    {
        var registry = new MetricsRegistry();
        var histogram = registry.Histogram("d_seconds", "d", [0.1, 1], "os_type");
        histogram.Observe(0.05, "linux");
        histogram.Observe(0.5, "linux");
        histogram.Observe(5, "linux");

        var text = registry.Render();

        Assert.Contains("d_seconds_bucket{os_type=\"linux\",le=\"0.1\"} 1\n", text, StringComparison.Ordinal);
        Assert.Contains("d_seconds_bucket{os_type=\"linux\",le=\"1\"} 2\n", text, StringComparison.Ordinal);
        Assert.Contains("d_seconds_bucket{os_type=\"linux\",le=\"+Inf\"} 3\n", text, StringComparison.Ordinal);
        Assert.Contains("d_seconds_sum{os_type=\"linux\"} 5.55\n", text, StringComparison.Ordinal);
        Assert.Contains("d_seconds_count{os_type=\"linux\"} 3\n", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Inc_OnALabelSetThatExists_AllocatesNothing()
    {
        var registry = new MetricsRegistry();
        var counter = registry.Counter("node_publish_total", "Publishes.", "provider", "os_type");
        var histogram = registry.Histogram("d_seconds", "d", [0.1, 1], "provider", "os_type");
        string provider = "vault", osType = "linux";
        for (var i = 0; i < 1000; i++)
        {
            counter.Inc(provider, osType);
            histogram.Observe(0.5, provider, osType);
        }

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 1000; i++)
        {
            counter.Inc(provider, osType);
            histogram.Observe(0.5, provider, osType);
        }
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(0, allocated);
        Assert.Equal(2000, counter.Value(provider, osType));
    }

    [Fact]
    public void Render_ListsSeriesInTheOrderOfTheirJoinedLabelValues()
    {
        var registry = new MetricsRegistry();
        var counter = registry.Counter("c_total", "c", "a", "b");
        counter.Inc("ab", "c");
        counter.Inc("a", "z");
        counter.Inc("a", "b");
        counter.Inc("", "x");

        Assert.Equal(
            "# HELP c_total c\n# TYPE c_total counter\n"
            + "c_total{a=\"\",b=\"x\"} 1\nc_total{a=\"a\",b=\"b\"} 1\nc_total{a=\"a\",b=\"z\"} 1\nc_total{a=\"ab\",b=\"c\"} 1\n",
            registry.Render());
    }

    [Fact]
    public void Counter_WrongLabelCount_Throws()
    {
        var counter = new MetricsRegistry().Counter("x_total", "x", "a", "b");
        Assert.Throws<ArgumentException>(() => counter.Inc("only-one"));
    }

    [Fact]
    public void Register_SameFamilyTwice_SharesIt()
    {
        var registry = new MetricsRegistry();
        var first = registry.Counter("x_total", "x", "name");
        Assert.Same(first, registry.Counter("x_total", "x", "name"));
    }

    [Fact]
    public void Register_SameNameWithAnotherTypeOrLabels_Throws()
    {
        var registry = new MetricsRegistry();
        registry.Counter("x_total", "x", "name");
        Assert.Throws<InvalidOperationException>(() => registry.Gauge("x_total", "x", "name"));
        Assert.Throws<InvalidOperationException>(() => registry.Counter("x_total", "x", "other"));
    }
}
