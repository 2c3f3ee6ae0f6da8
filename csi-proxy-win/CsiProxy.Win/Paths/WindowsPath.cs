namespace CsiProxy.Win.Paths;

/// <summary>
/// An absolute local Windows path held as a drive letter and its segments, parsed by string rules alone so that
/// it behaves the same on every OS (System.IO.Path on Linux knows neither drives nor backslashes).
/// Compare with <see cref="IsInside"/>, which works segment by segment, never by string prefix.
/// </summary>
public sealed class WindowsPath
{
    private WindowsPath(char drive, string[] segments)
    {
        Drive = drive;
        Segments = segments;
    }

    /// <summary>The upper-case drive letter.</summary>
    public char Drive { get; }

    public IReadOnlyList<string> Segments { get; }

    /// <summary>Parses <paramref name="text"/>, or says why it is not an acceptable absolute local path.</summary>
    public static bool TryParse(string text, out WindowsPath path, out string reason)
    {
        ArgumentNullException.ThrowIfNull(text);
        path = Root;
        var problem = WindowsPathSyntax.Check(text);
        if (problem is not null)
        {
            reason = problem;
            return false;
        }
        var segments = text[3..].Split(WindowsPathSyntax.Separators, StringSplitOptions.RemoveEmptyEntries);
        foreach (var segment in segments)
        {
            if (WindowsPathSyntax.CheckSegment(segment) is { } bad)
            {
                reason = bad;
                return false;
            }
        }
        path = new WindowsPath(char.ToUpperInvariant(text[0]), segments);
        reason = "";
        return true;
    }

    /// <summary>Whether this path lies strictly below <paramref name="root"/>: same drive, and every segment of the root equal (ignoring case) to this path's segment at the same place.</summary>
    public bool IsInside(WindowsPath root)
    {
        ArgumentNullException.ThrowIfNull(root);
        if (Drive != root.Drive || Segments.Count <= root.Segments.Count)
        {
            return false;
        }
        for (var i = 0; i < root.Segments.Count; i++)
        {
            if (!string.Equals(Segments[i], root.Segments[i], StringComparison.OrdinalIgnoreCase))
            {
                return false;
            }
        }
        return true;
    }

    /// <summary>The canonical form: drive, colon, segments joined by backslashes.</summary>
    public override string ToString() => Drive + @":\" + string.Join('\\', Segments);

    private static readonly WindowsPath Root = new('C', []);
}
