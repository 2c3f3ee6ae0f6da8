using System.Globalization;
using Csi.Common.Metrics;

namespace Csi.Common.Tests;

public class ProcessMetricsTests
{
    [Fact]
    public void The_process_families_read_this_process_at_each_scrape()
    {
        var registry = new MetricsRegistry();
        ProcessMetrics.Register(registry);

        var first = Values(registry.Render());
        var buffers = new List<byte[]>();
        for (var i = 0; i < 64; i++)
        {
            buffers.Add(new byte[16 * 1024]);
        }
        var second = Values(registry.Render());
        GC.KeepAlive(buffers);

        var status = File.ReadAllLines("/proc/self/status");
        var rssKiB = long.Parse(status.Single(l => l.StartsWith("VmRSS:", StringComparison.Ordinal)).Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture);
        Assert.InRange(second["process_resident_memory_bytes"], rssKiB * 1024 / 2, rssKiB * 1024 * 2);
        Assert.InRange(second["process_num_threads"], 1, 10_000);
        Assert.InRange(second["process_open_fds"], 3, 100_000);
        var startedSecondsAgo = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() / 1000.0 - second["process_start_time_seconds"];
        Assert.InRange(startedSecondsAgo, 0, Environment.TickCount64 / 1000.0 + 5);
        Assert.InRange(second["process_cpu_seconds_total"], first["process_cpu_seconds_total"], double.MaxValue);
        Assert.InRange(second["dotnet_gc_allocated_bytes_total"] - first["dotnet_gc_allocated_bytes_total"], 64 * 16 * 1024, double.MaxValue);
        Assert.True(second["dotnet_total_memory_bytes"] > 0);
    }

    [Fact]
    public void Each_family_is_typed_and_has_one_unlabelled_series()
    {
        var registry = new MetricsRegistry();
        ProcessMetrics.Register(registry);

        var lines = registry.Render().Split('\n', StringSplitOptions.RemoveEmptyEntries);

        Assert.Equal(
            ["process_cpu_seconds_total counter", "process_resident_memory_bytes gauge", "process_start_time_seconds gauge", "process_open_fds gauge",
                "process_num_threads gauge", "dotnet_total_memory_bytes gauge", "dotnet_gc_allocated_bytes_total counter"],
            lines.Where(l => l.StartsWith("# TYPE ", StringComparison.Ordinal)).Select(l => l["# TYPE ".Length..]));
        Assert.All(lines.Where(l => !l.StartsWith('#')), l => Assert.Matches(@"^[a-z_]+ [0-9.E+-]+$", l));
    }

    [Fact]
    public void A_sampled_metric_is_a_gauge_or_a_counter()
    {
        var registry = new MetricsRegistry();

        var e = Assert.Throws<ArgumentException>(() => registry.Sampled("x_seconds", "x", "histogram", () => 1));

        Assert.Contains("x_seconds", e.Message, StringComparison.Ordinal);
    }

    private static Dictionary<string, double> Values(string exposition)
        => exposition.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Where(l => !l.StartsWith('#'))
            .Select(l => l.Split(' '))
            .ToDictionary(p => p[0], p => double.Parse(p[1], CultureInfo.InvariantCulture));
}
