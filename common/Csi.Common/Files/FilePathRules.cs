using System.Buffers;

namespace Csi.Common.Files;

/// <summary>
/// The rules a file path and mode must meet before anything is written: relative, already clean,
/// no ".." element, not hidden behind the writer's own "..data" names, within Linux's length limits.
/// On a Windows node also no character that Windows reads as a separator, a drive or a stream, or cannot store.
/// </summary>
public static class FilePathRules
{
    public const int MaxPathLength = 4096;
    public const int MaxNameLength = 255;
    public const int MaxMode = 511; // 0777

    // '\' and ':' would turn a relative name into another directory, a drive or a stream; the rest Windows cannot store.
    private static readonly SearchValues<char> WindowsReserved = SearchValues.Create("\\:<>\"|?*");

    /// <summary>Returns why the path is not acceptable on this machine, or null when it is.</summary>
    public static string? CheckPath(string path) => CheckPath(path, OperatingSystem.IsWindows());

    /// <summary>Returns why the path is not acceptable, or null when it is; <paramref name="windows"/> adds Windows' file-name rules.</summary>
    public static string? CheckPath(string path, bool windows)
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
        if (windows && path.AsSpan().IndexOfAny(WindowsReserved) is var reserved and >= 0)
        {
            return $"path holds '{path[reserved]}', which a Windows node cannot use in a file name (none of \\ : < > \" | ? *)";
        }
        if (windows && path.Any(char.IsControl))
        {
            return "path holds a control character, which a Windows node cannot use in a file name";
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
            if (windows && (segment[^1] == '.' || segment[^1] == ' '))
            {
                // Windows drops them, so "a." would write "a" and ".. " would climb out.
                return "a path element ends with '.' or a space, which a Windows node drops from file names";
            }
        }
        return null;
    }

    public static string? CheckMode(int mode)
        => mode is < 0 or > MaxMode ? $"mode {mode} is outside 0-0777 (0-511 decimal)" : null;

    /// <summary>Checks every (path, mode) and the set as a whole for this machine; returns the first problem, naming the file.</summary>
    public static string? Check(IEnumerable<(string Path, int Mode)> files) => Check(files, OperatingSystem.IsWindows());

    /// <summary>Checks every (path, mode) and the set as a whole; returns the first problem, naming the file.</summary>
    public static string? Check(IEnumerable<(string Path, int Mode)> files, bool windows)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var paths = new List<string>();
        foreach (var (path, mode) in files)
        {
            var problem = CheckPath(path, windows) ?? CheckMode(mode);
            if (problem is not null)
            {
                return $"file \"{Printable(path)}\": {problem}";
            }
            if (!seen.Add(path))
            {
                return $"file \"{path}\": returned more than once";
            }
            paths.Add(path);
        }
        foreach (var path in paths)
        {
            // "a" and "a/b" cannot both be files.
            var slash = path.IndexOf('/', StringComparison.Ordinal);
            while (slash > 0)
            {
                if (seen.Contains(path[..slash]))
                {
                    return $"file \"{path}\": its parent \"{path[..slash]}\" is also a file";
                }
                slash = path.IndexOf('/', slash + 1);
            }
        }
        return null;
    }

    private static string Printable(string path)
        => path.Length > 80 ? string.Concat(path.AsSpan(0, 80), "...") : path.Replace("\0", "\\0", StringComparison.Ordinal);
}
