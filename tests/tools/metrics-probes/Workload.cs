using System.Diagnostics;
using System.Globalization;

namespace MetricsProbe;

/// <summary>
/// What both probes do with their metrics library: the Secrets Store driver's ten families (upstream's names and
/// labels), 3 providers x 5 error types of label values, 10,000 recorded events, then scrapes into a buffer as the
/// /metrics endpoint does. Prints one JSON line: RSS after a full collection, allocated bytes and microseconds per
/// scrape (median of the measured scrapes), bytes of exposition.
/// </summary>
internal static class Workload
{
    public static readonly string[] Providers = ["vault", "azure", "aws"];
    public static readonly string[] ErrorTypes = ["ProviderError", "SecretProviderClassNotFound", "PodNotFound", "InvalidParameters", "DeadlineExceeded"];
    public static readonly double[] Buckets = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60];
    public const int Events = 10_000;

    /// <summary>A deterministic duration for event <paramref name="i"/>, spread over the buckets.</summary>
    public static double Duration(int i) => (i * 7919 % 10_000) / 1000.0;

    public static void Run(Action<int> record, Func<Stream, Task> scrape, int scrapes)
    {
        for (var i = 0; i < Events; i++)
        {
            record(i);
        }
        using var buffer = new MemoryStream(64 * 1024);
        // Warm-up: first scrapes pay for one-time setup in either library.
        for (var i = 0; i < 20; i++)
        {
            buffer.SetLength(0);
            scrape(buffer).GetAwaiter().GetResult();
        }
        var allocated = new long[scrapes];
        var micros = new double[scrapes];
        for (var i = 0; i < scrapes; i++)
        {
            buffer.SetLength(0);
            var before = GC.GetTotalAllocatedBytes(precise: true);
            var start = Stopwatch.GetTimestamp();
            scrape(buffer).GetAwaiter().GetResult();
            micros[i] = Stopwatch.GetElapsedTime(start).TotalMicroseconds;
            allocated[i] = GC.GetTotalAllocatedBytes(precise: true) - before;
        }
        GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
        Array.Sort(allocated);
        Array.Sort(micros);
        var rss = File.ReadLines("/proc/self/status").First(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
        var rssKiB = long.Parse(rss.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{{\"rssKiB\":{rssKiB},\"allocatedPerScrape\":{allocated[scrapes / 2]},\"microsPerScrape\":{micros[scrapes / 2]:F1},\"exposition\":{buffer.Length}}}"));
    }
}
