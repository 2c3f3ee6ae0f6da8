namespace SecretsStore.Driver.Files;

/// <summary>
/// The rules a file path and mode must meet before anything is written: relative, already clean,
/// no ".." element, not hidden behind the writer's own "..data" names, within Linux's length limits.
/// </summary>
public static class PayloadValidator
{
    public const int MaxPathLength = 4096;
    public const int MaxNameLength = 255;
    public const int MaxMode = 511; // 0777

    /// <summary>Returns why the path is not acceptable, or null when it is.</summary>
    public static string? CheckPath(string path)
    {
        if (string.IsNullOrEmpty(path))
        {
            return "path is empty";
        }
        if (path.Length > MaxPathLength)
        {
            return $"path is longer than {MaxPathLength} characters";
        }
        if (path.Contains('\0', StringComparison.Ordinal))
        {
            return "path contains a NUL character";
        }
        if (path[0] == '/')
        {
            return "path must be relative";
        }
        if (path.StartsWith("..", StringComparison.Ordinal))
        {
            return "path must not start with '..'";
        }
        foreach (var segment in path.Split('/'))
        {
            if (segment.Length == 0 || segment == ".")
            {
                return "path is not clean (empty or '.' element, or a trailing '/')";
            }
            if (segment == "..")
            {
                return "path must not contain a '..' element";
            }
            if (segment.Length > MaxNameLength)
            {
                return $"a path element is longer than {MaxNameLength} characters";
            }
        }
        return null;
    }

    public static string? CheckMode(int mode)
        => mode is < 0 or > MaxMode ? $"mode {mode} is outside 0-0777 (0-511 decimal)" : null;

    /// <summary>Checks every file and the set as a whole; returns the first problem, naming the file.</summary>
    public static string? Check(IReadOnlyList<PayloadFile> files)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var file in files)
        {
            var problem = CheckPath(file.Path) ?? CheckMode(file.Mode);
            if (problem is not null)
            {
                return $"file \"{Printable(file.Path)}\": {problem}";
            }
            if (!seen.Add(file.Path))
            {
                return $"file \"{file.Path}\": returned more than once";
            }
        }
        foreach (var file in files)
        {
            // "a" and "a/b" cannot both be files.
            var slash = file.Path.IndexOf('/', StringComparison.Ordinal);
            while (slash > 0)
            {
                if (seen.Contains(file.Path[..slash]))
                {
                    return $"file \"{file.Path}\": its parent \"{file.Path[..slash]}\" is also a file";
                }
                slash = file.Path.IndexOf('/', slash + 1);
            }
        }
        return null;
    }

    private static string Printable(string path)
        => path.Length > 80 ? string.Concat(path.AsSpan(0, 80), "...") : path.Replace("\0", "\\0", StringComparison.Ordinal);
}
