using System.Globalization;
using System.Runtime.Versioning;
using System.Text;

namespace Csi.Common.Mounting;

/// <summary>Reads the kernel's mount table (proc(5), /proc/[pid]/mountinfo).</summary>
[SupportedOSPlatform("linux")]
public static class MountInfo
{
    public const string SelfPath = "/proc/self/mountinfo";

    private static readonly System.Buffers.SearchValues<char> OctalDigits = System.Buffers.SearchValues.Create("01234567");

    public static IReadOnlyList<MountInfoEntry> Read(string path = SelfPath) => Parse(File.ReadAllText(path));

    /// <summary>Finds the last (topmost) mount on <paramref name="mountPoint"/>, without building the whole table.</summary>
    public static MountInfoEntry? Find(string mountPoint, string path = SelfPath)
    {
        MountInfoEntry? found = null;
        var escaped = " " + Escape(mountPoint) + " ";
        foreach (var line in File.ReadLines(path))
        {
            // Most lines are other mounts: skip them without splitting.
            if (!line.Contains(escaped, StringComparison.Ordinal))
            {
                continue;
            }
            var entry = ParseLine(line);
            if (entry is not null && entry.MountPoint == mountPoint)
            {
                found = entry;
            }
        }
        return found;
    }

    public static IReadOnlyList<MountInfoEntry> Parse(string text)
    {
        var entries = new List<MountInfoEntry>();
        foreach (var line in text.Split('\n'))
        {
            var entry = ParseLine(line);
            if (entry is not null)
            {
                entries.Add(entry);
            }
        }
        return entries;
    }

    /// <summary>
    /// Fields: id parent major:minor root mount-point options [optional...] - fstype source super-options.
    /// Returns null for a line that does not have that shape.
    /// </summary>
    public static MountInfoEntry? ParseLine(string line)
    {
        var fields = line.Split(' ');
        if (fields.Length < 10)
        {
            return null;
        }
        var separator = Array.IndexOf(fields, "-", 6);
        if (separator < 0 || separator + 3 > fields.Length)
        {
            return null;
        }
        if (!int.TryParse(fields[0], NumberStyles.None, CultureInfo.InvariantCulture, out var id)
            || !int.TryParse(fields[1], NumberStyles.None, CultureInfo.InvariantCulture, out var parent))
        {
            return null;
        }
        return new MountInfoEntry(
            id,
            parent,
            Unescape(fields[3]),
            Unescape(fields[4]),
            fields[separator + 1],
            Unescape(fields[separator + 2]),
            fields[5]);
    }

    /// <summary>The kernel writes space, tab, newline and backslash in paths as \040, \011, \012 and \134.</summary>
    public static string Unescape(string value)
    {
        if (!value.Contains('\\', StringComparison.Ordinal))
        {
            return value;
        }
        var builder = new StringBuilder(value.Length);
        for (var i = 0; i < value.Length; i++)
        {
            if (value[i] == '\\' && IsOctal(value, i + 1))
            {
                builder.Append((char)Convert.ToInt32(value.Substring(i + 1, 3), 8));
                i += 3;
            }
            else
            {
                builder.Append(value[i]);
            }
        }
        return builder.ToString();
    }

    public static string Escape(string value)
        => value.Replace("\\", "\\134", StringComparison.Ordinal)
            .Replace(" ", "\\040", StringComparison.Ordinal)
            .Replace("\t", "\\011", StringComparison.Ordinal)
            .Replace("\n", "\\012", StringComparison.Ordinal);

    private static bool IsOctal(string value, int start)
        => start + 3 <= value.Length && value.AsSpan(start, 3).IndexOfAnyExcept(OctalDigits) < 0;
}
