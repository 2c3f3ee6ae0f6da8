using System.Globalization;

namespace Csi.Common.Metrics;

/// <summary>
/// The process and runtime families every binary serves beside its own, read when scraped. The process_* names are
/// the ones Go's and prometheus-net's collectors use, so dashboards for the upstream binaries work unchanged;
/// dotnet_gc_allocated_bytes_total (the counterpart of Go's go_memstats_alloc_bytes_total) shows what a call
/// allocates, as the difference between two scrapes.
/// </summary>
public static class ProcessMetrics
{
    private static readonly double StartTimeSeconds = ReadStartTimeSeconds();

    public static void Register(MetricsRegistry registry)
    {
        ArgumentNullException.ThrowIfNull(registry);
        registry.Sampled("process_cpu_seconds_total", "Total user and system CPU time spent in seconds.", "counter",
            static () => Environment.CpuUsage.TotalTime.TotalSeconds);
        registry.Sampled("process_resident_memory_bytes", "Resident memory size in bytes.", "gauge", static () => ReadResidentBytes());
        registry.Sampled("process_start_time_seconds", "Start time of the process since unix epoch in seconds.", "gauge", static () => StartTimeSeconds);
        if (OperatingSystem.IsLinux())
        {
            registry.Sampled("process_open_fds", "Number of open file descriptors.", "gauge", static () => CountOpenFileDescriptors());
            registry.Sampled("process_num_threads", "Total number of threads.", "gauge", static () => ReadThreads());
        }
        registry.Sampled("dotnet_total_memory_bytes", "Bytes the garbage collector believes are allocated and live (or not yet collected).", "gauge",
            static () => GC.GetTotalMemory(forceFullCollection: false));
        registry.Sampled("dotnet_gc_allocated_bytes_total", "Bytes allocated on the managed heap since the process started.", "counter",
            static () => GC.GetTotalAllocatedBytes(precise: false));
    }

    /// <summary>RSS: the second field of /proc/self/statm, in pages, on Linux (a trimmed binary's Environment.WorkingSet reads 0 there).</summary>
    private static double ReadResidentBytes()
    {
        if (!OperatingSystem.IsLinux())
        {
            return Environment.WorkingSet;
        }
        var statm = File.ReadAllText("/proc/self/statm").Split(' ');
        return double.Parse(statm[1], NumberStyles.None, CultureInfo.InvariantCulture) * Environment.SystemPageSize;
    }

    private static int CountOpenFileDescriptors()
    {
        var count = 0;
        foreach (var _ in Directory.EnumerateFileSystemEntries("/proc/self/fd"))
        {
            count++;
        }
        return count;
    }

    private static double ReadThreads()
    {
        foreach (var line in File.ReadLines("/proc/self/status"))
        {
            if (line.StartsWith("Threads:", StringComparison.Ordinal))
            {
                return double.Parse(line.AsSpan("Threads:".Length).Trim(), NumberStyles.None, CultureInfo.InvariantCulture);
            }
        }
        return double.NaN;
    }

    /// <summary>When the process was started: from /proc on Linux (field 22 of stat, in clock ticks after boot), else now.</summary>
    private static double ReadStartTimeSeconds()
    {
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() / 1000.0;
        if (!OperatingSystem.IsLinux())
        {
            return now;
        }
        try
        {
            var stat = File.ReadAllText("/proc/self/stat");
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            var startTicks = double.Parse(fields[19], CultureInfo.InvariantCulture);
            var uptime = double.Parse(File.ReadAllText("/proc/uptime").Split(' ')[0], CultureInfo.InvariantCulture);
            // USER_HZ is 100 on every Linux the suite runs on.
            return now - uptime + (startTicks / 100.0);
        }
        catch (Exception e) when (e is IOException or FormatException or IndexOutOfRangeException or UnauthorizedAccessException)
        {
            return now;
        }
    }
}
