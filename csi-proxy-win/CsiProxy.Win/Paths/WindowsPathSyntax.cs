namespace CsiProxy.Win.Paths;

/// <summary>The character-level rules of an acceptable absolute local path and of each of its segments.</summary>
internal static class WindowsPathSyntax
{
    /// <summary>Upstream's limit (MAX_PATH); long-path prefixes are refused anyway.</summary>
    public const int MaxLength = 260;

    public static readonly char[] Separators = ['\\', '/'];

    // ':' after the drive would name an alternate data stream; the rest are invalid in Windows names or wildcards.
    private static readonly char[] ForbiddenCharacters = ['"', ':', '?', '*', '|', '<', '>'];

    private static readonly HashSet<string> ReservedNames = new(StringComparer.OrdinalIgnoreCase)
    {
        "CON", "PRN", "AUX", "NUL", "CONIN$", "CONOUT$",
        "COM0", "COM1", "COM2", "COM3", "COM4", "COM5", "COM6", "COM7", "COM8", "COM9", "COM¹", "COM²", "COM³",
        "LPT0", "LPT1", "LPT2", "LPT3", "LPT4", "LPT5", "LPT6", "LPT7", "LPT8", "LPT9", "LPT¹", "LPT²", "LPT³",
    };

    /// <summary>Null when <paramref name="text"/> has the shape "X:\...", else the reason it has not.</summary>
    public static string? Check(string text)
    {
        if (text.Length == 0)
        {
            return "is required";
        }
        if (text.Length > MaxLength)
        {
            return $"is longer than {MaxLength} characters";
        }
        if (text[0] is '\\' or '/')
        {
            return "UNC and device paths (\\\\server\\share, \\\\?\\, \\\\.\\) are not allowed; give an absolute path with a drive letter";
        }
        if (text.Length < 3 || !char.IsAsciiLetter(text[0]) || text[1] != ':' || Array.IndexOf(Separators, text[2]) < 0)
        {
            return "must be an absolute path with a drive letter, like C:\\var\\lib\\kubelet\\...";
        }
        for (var i = 3; i < text.Length; i++)
        {
            var c = text[i];
            if (char.IsControl(c))
            {
                return "contains a control character";
            }
            if (Array.IndexOf(ForbiddenCharacters, c) >= 0)
            {
                return c == ':'
                    ? "contains ':' (alternate data streams and drive letters inside a path are not allowed)"
                    : $"contains the character '{c}', which is not allowed";
            }
        }
        return null;
    }

    /// <summary>Null when one segment is acceptable, else the reason it is not.</summary>
    public static string? CheckSegment(string segment)
    {
        if (segment is "." or "..")
        {
            return $"contains a '{segment}' segment; relative segments are not allowed";
        }
        // Windows drops trailing dots and spaces, so "kubelet." would open "kubelet": refuse the ambiguity.
        if (segment.EndsWith('.') || segment.EndsWith(' '))
        {
            return $"segment \"{segment}\" ends with a dot or a space";
        }
        var dot = segment.IndexOf('.', StringComparison.Ordinal);
        var stem = (dot < 0 ? segment : segment[..dot]).TrimEnd(' ');
        if (ReservedNames.Contains(stem))
        {
            return $"segment \"{segment}\" is a reserved device name";
        }
        return null;
    }
}
