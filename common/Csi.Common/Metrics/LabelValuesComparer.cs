namespace Csi.Common.Metrics;

/// <summary>
/// Label sets compared value by value (ordinal), so a series is found from the caller's values without joining
/// them into one string; ordered as the values joined by U+0001 would be, the order scrapes have always listed.
/// </summary>
internal sealed class LabelValuesComparer : IEqualityComparer<string[]>, IAlternateEqualityComparer<ReadOnlySpan<string>, string[]>, IComparer<string[]>
{
    private const char Separator = '\u0001';

    public static readonly LabelValuesComparer Instance = new();

    private LabelValuesComparer()
    {
    }

    public bool Equals(string[]? x, string[]? y) => x is null || y is null ? x == y : Equals((ReadOnlySpan<string>)x, y);

    public int GetHashCode(string[] obj) => GetHashCode((ReadOnlySpan<string>)obj);

    public bool Equals(ReadOnlySpan<string> alternate, string[] other)
    {
        if (alternate.Length != other.Length)
        {
            return false;
        }
        for (var i = 0; i < alternate.Length; i++)
        {
            if (!string.Equals(alternate[i], other[i], StringComparison.Ordinal))
            {
                return false;
            }
        }
        return true;
    }

    public int GetHashCode(ReadOnlySpan<string> alternate)
    {
        var hash = default(HashCode);
        foreach (var value in alternate)
        {
            hash.Add(value, StringComparer.Ordinal);
        }
        return hash.ToHashCode();
    }

    /// <summary>The series keeps its own copy: the caller's values may live on its stack.</summary>
    public string[] Create(ReadOnlySpan<string> alternate) => alternate.ToArray();

    public int Compare(string[]? x, string[]? y)
    {
        if (x is null || y is null)
        {
            return x is null ? (y is null ? 0 : -1) : 1;
        }
        // Walk both as if joined: value chars, then the separator between values.
        int xi = 0, xc = 0, yi = 0, yc = 0;
        while (true)
        {
            var xEnd = !Next(x, ref xi, ref xc, out var a);
            var yEnd = !Next(y, ref yi, ref yc, out var b);
            if (xEnd || yEnd)
            {
                return xEnd == yEnd ? 0 : xEnd ? -1 : 1;
            }
            if (a != b)
            {
                return a.CompareTo(b);
            }
        }
    }

    /// <summary>The next char of the values joined by the separator; false past the end.</summary>
    private static bool Next(string[] values, ref int value, ref int index, out char c)
    {
        while (value < values.Length)
        {
            var current = values[value] ?? string.Empty;
            if (index < current.Length)
            {
                c = current[index++];
                return true;
            }
            value++;
            index = 0;
            if (value < values.Length)
            {
                c = Separator;
                return true;
            }
        }
        c = default;
        return false;
    }
}
