using System.Globalization;

namespace Csi.Testing;

/// <summary>
/// A process's memory and threads from /proc/&lt;pid&gt;/status: RSS, its peak (VmHWM), RSS split into anonymous memory (heaps, stacks: the
/// process's own) and file-backed pages (the mapped binary and libraries, shared with every other copy on the node).
/// </summary>
public sealed record ProcessMemory(long RssKiB, long PeakRssKiB, long AnonKiB, long FileKiB, int Threads)
{
    public static ProcessMemory Read(int pid)
    {
        long rss = -1, peak = -1, anon = -1, file = -1, threads = -1;
        foreach (var line in File.ReadLines($"/proc/{pid.ToString(CultureInfo.InvariantCulture)}/status"))
        {
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon < 0)
            {
                continue;
            }
            switch (line[..colon])
            {
                case "VmRSS": rss = Number(line, colon); break;
                case "VmHWM": peak = Number(line, colon); break;
                case "RssAnon": anon = Number(line, colon); break;
                case "RssFile": file = Number(line, colon); break;
                case "Threads": threads = Number(line, colon); break;
            }
        }
        return rss < 0 || peak < 0 || anon < 0 || file < 0 || threads < 0
            ? throw new InvalidOperationException($"/proc/{pid}/status lacks VmRSS, VmHWM, RssAnon, RssFile or Threads")
            : new ProcessMemory(rss, peak, anon, file, (int)threads);
    }

    /// <summary>The lines of /proc/&lt;pid&gt;/maps that map a file whose path contains any of <paramref name="names"/> (e.g. "libssl").</summary>
    public static IReadOnlyList<string> Mappings(int pid, params string[] names)
        => [.. File.ReadLines($"/proc/{pid.ToString(CultureInfo.InvariantCulture)}/maps").Where(l => names.Any(n => l.Contains(n, StringComparison.Ordinal)))];

    private static long Number(string line, int colon)
    {
        var value = line.AsSpan(colon + 1).Trim();
        var space = value.IndexOf(' ');
        return long.Parse(space < 0 ? value : value[..space], NumberStyles.None, CultureInfo.InvariantCulture);
    }
}
