using System.Globalization;

namespace Csi.Testing;

/// <summary>
/// CPU time a process has used, summed over its live threads from /proc/&lt;pid&gt;/task/*/schedstat (nanoseconds on a
/// CPU). Unlike wall time it hardly moves with other load on the machine, so start-up work compares across runs.
/// </summary>
public static class ProcessCpu
{
    public static TimeSpan OnCpu(int pid)
    {
        long nanoseconds = 0;
        foreach (var task in Directory.EnumerateDirectories($"/proc/{pid.ToString(CultureInfo.InvariantCulture)}/task"))
        {
            try
            {
                var text = File.ReadAllText(Path.Combine(task, "schedstat"));
                nanoseconds += long.Parse(text.AsSpan(0, text.IndexOf(' ', StringComparison.Ordinal)), NumberStyles.None, CultureInfo.InvariantCulture);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // The thread ended between the listing and the read.
            }
        }
        return TimeSpan.FromTicks(nanoseconds / 100);
    }
}
