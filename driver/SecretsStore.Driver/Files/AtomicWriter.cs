using System.Globalization;
using System.Security.Cryptography;
using Csi.Common.Files;

namespace SecretsStore.Driver.Files;

/// <summary>
/// Writes a volume's files so that a reader sees either the whole old set or the whole new set, never a
/// mix: the payload goes into a fresh "..&lt;timestamp&gt;" directory, "..data" is swapped to it with one
/// rename(2), and each user-visible name is a symlink through "..data". Files whose bytes and mode did
/// not change are hard-linked from the old payload, so they keep their inode and are not rewritten.
/// A write interrupted at any point is completed or cleaned up by the next one.
/// On Windows the links are the same, separated by '\'; "..data" is a directory link that Windows cannot rename over,
/// so it is removed and the new one renamed into its place (readers may find no "..data" for that instant), as
/// kubelet's own writer does there; files carry no mode.
/// </summary>
public sealed class AtomicWriter
{
    public const string DataDirName = "..data";
    public const string NewDataDirName = "..data_tmp";

    private const UnixFileMode DirectoryMode =
        UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute |
        UnixFileMode.GroupRead | UnixFileMode.GroupExecute |
        UnixFileMode.OtherRead | UnixFileMode.OtherExecute;

    private readonly string _target;
    private readonly TimeProvider _time;

    public AtomicWriter(string targetDirectory, TimeProvider time)
    {
        _target = targetDirectory;
        _time = time;
    }

    /// <summary>Called after each step; tests throw from it to interrupt a write where they choose.</summary>
    internal Action<AtomicWriteStep>? AfterStep { get; set; }

    public AtomicWriteResult Write(IReadOnlyList<PayloadFile> payload)
    {
        var problem = FilePathRules.Check(payload.Select(f => (f.Path, f.Mode)));
        if (problem is not null)
        {
            throw new ArgumentException(problem, nameof(payload));
        }

        var current = ReadDataLink();
        RemoveLeftovers(current);
        var oldDir = current is null ? null : Path.Combine(_target, current);
        var oldFiles = oldDir is null ? new HashSet<string>(StringComparer.Ordinal) : ListFiles(oldDir);

        var unchanged = new HashSet<string>(StringComparer.Ordinal);
        foreach (var file in payload)
        {
            if (oldDir is not null && oldFiles.Contains(file.Path) && SameFile(Path.Combine(oldDir, file.Path), file))
            {
                unchanged.Add(file.Path);
            }
        }
        var newPaths = payload.Select(f => f.Path).ToHashSet(StringComparer.Ordinal);
        var removed = oldFiles.Where(p => !newPaths.Contains(p)).Order(StringComparer.Ordinal).ToArray();
        var topLevel = payload.Select(f => TopLevelName(f.Path)).ToHashSet(StringComparer.Ordinal);
        var directories = payload.Where(f => f.Path.Contains('/', StringComparison.Ordinal)).Select(f => TopLevelName(f.Path)).ToHashSet(StringComparer.Ordinal);

        if (oldDir is not null && unchanged.Count == payload.Count && removed.Length == 0)
        {
            // Nothing to swap, but an earlier interrupted write may have left links to mend.
            UpdateLinks(topLevel, directories);
            return new AtomicWriteResult([], [.. unchanged.Order(StringComparer.Ordinal)], []);
        }

        var newDirName = NewPayloadDirName();
        var newDir = Path.Combine(_target, newDirName);
        CreateDirectory(newDir);
        var written = new List<string>();
        foreach (var file in payload)
        {
            var destination = Path.Combine(newDir, file.Path);
            var parent = Path.GetDirectoryName(destination)!;
            if (parent != newDir)
            {
                CreateDirectories(newDir, parent);
            }
            if (unchanged.Contains(file.Path))
            {
                NativeFileSystem.HardLink(Path.Combine(oldDir!, file.Path), destination);
            }
            else
            {
                WriteFile(destination, file);
                written.Add(file.Path);
            }
        }
        AfterStep?.Invoke(AtomicWriteStep.PayloadWritten);

        var newLink = Path.Combine(_target, NewDataDirName);
        CreateLink(newLink, newDirName, isDirectory: true);
        NativeFileSystem.ReplaceLink(newLink, Path.Combine(_target, DataDirName));
        AfterStep?.Invoke(AtomicWriteStep.DataSwapped);

        UpdateLinks(topLevel, directories);
        AfterStep?.Invoke(AtomicWriteStep.LinksUpdated);

        if (oldDir is not null)
        {
            Directory.Delete(oldDir, recursive: true);
        }
        written.Sort(StringComparer.Ordinal);
        return new AtomicWriteResult(written, [.. unchanged.Order(StringComparer.Ordinal)], removed);
    }

    /// <summary>The payload directory "..data" names now, or null before the first write.</summary>
    public string? ReadDataLink()
    {
        var target = new FileInfo(Path.Combine(_target, DataDirName)).LinkTarget;
        return target is not null && target.StartsWith("..", StringComparison.Ordinal) && target.IndexOfAny(['/', Path.DirectorySeparatorChar]) < 0 ? target : null;
    }

    private void RemoveLeftovers(string? current)
    {
        foreach (var entry in new DirectoryInfo(_target).EnumerateFileSystemInfos("..*"))
        {
            if (entry.Name == DataDirName || entry.Name == current)
            {
                continue;
            }
            if (entry.LinkTarget is null && entry is DirectoryInfo directory)
            {
                directory.Delete(recursive: true);
            }
            else
            {
                entry.Delete();
            }
        }
    }

    private void UpdateLinks(HashSet<string> topLevel, HashSet<string> directories)
    {
        foreach (var entry in new DirectoryInfo(_target).EnumerateFileSystemInfos())
        {
            if (entry.Name.StartsWith("..", StringComparison.Ordinal))
            {
                continue;
            }
            var expected = DataDirName + Path.DirectorySeparatorChar + entry.Name;
            if (topLevel.Contains(entry.Name))
            {
                if (entry.LinkTarget == expected)
                {
                    topLevel.Remove(entry.Name);
                    continue;
                }
                // A real file or a foreign link in the way (e.g. written by a legacy provider): replace it.
                Delete(entry);
            }
            else if (entry.LinkTarget is not null && entry.LinkTarget.StartsWith(DataDirName + Path.DirectorySeparatorChar, StringComparison.Ordinal))
            {
                entry.Delete();
            }
        }
        foreach (var name in topLevel)
        {
            CreateLink(Path.Combine(_target, name), DataDirName + Path.DirectorySeparatorChar + name, directories.Contains(name));
        }
    }

    /// <summary>A symlink; Windows tells file links from directory links, and only a directory link can be walked through.</summary>
    private static void CreateLink(string path, string target, bool isDirectory)
    {
        if (isDirectory && OperatingSystem.IsWindows())
        {
            Directory.CreateSymbolicLink(path, target);
        }
        else
        {
            File.CreateSymbolicLink(path, target);
        }
    }

    private static void CreateDirectory(string path)
    {
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(path);
        }
        else
        {
            Directory.CreateDirectory(path, DirectoryMode);
        }
    }

    private static void Delete(FileSystemInfo entry)
    {
        if (entry.LinkTarget is null && entry is DirectoryInfo directory)
        {
            directory.Delete(recursive: true);
        }
        else
        {
            entry.Delete();
        }
    }

    private static void WriteFile(string path, PayloadFile file)
    {
        if (OperatingSystem.IsWindows())
        {
            using var created = new FileStream(path, FileMode.CreateNew, FileAccess.Write);
            created.Write(file.Contents.Span);
            return;
        }
        var mode = (UnixFileMode)file.Mode;
        var options = new FileStreamOptions
        {
            Mode = FileMode.CreateNew,
            Access = FileAccess.Write,
            UnixCreateMode = mode,
            // One positioned write straight from the payload: no stream buffer to fill and copy.
            BufferSize = 0,
        };
        using var stream = new FileStream(path, options);
        stream.Write(file.Contents.Span);
        // The create mode passed through the umask; set it exactly, on the open file.
        File.SetUnixFileMode(stream.SafeFileHandle, mode);
    }

    private static bool SameFile(string path, PayloadFile file)
    {
        var info = new FileInfo(path);
        // Windows keeps no mode: there the bytes alone decide.
        if (info.LinkTarget is not null || info.Length != file.Contents.Length || (!OperatingSystem.IsWindows() && (int)info.UnixFileMode != file.Mode))
        {
            return false;
        }
        return File.ReadAllBytes(path).AsSpan().SequenceEqual(file.Contents.Span);
    }

    private static HashSet<string> ListFiles(string directory)
    {
        var files = new HashSet<string>(StringComparer.Ordinal);
        if (!Directory.Exists(directory))
        {
            return files;
        }
        foreach (var path in Directory.EnumerateFiles(directory, "*", SearchOption.AllDirectories))
        {
            var relative = Path.GetRelativePath(directory, path);
            // Payload paths are '/'-separated on every node.
            files.Add(Path.DirectorySeparatorChar == '/' ? relative : relative.Replace(Path.DirectorySeparatorChar, '/'));
        }
        return files;
    }

    private static void CreateDirectories(string root, string directory)
    {
        var relative = Path.GetRelativePath(root, directory);
        var current = root;
        foreach (var segment in relative.Split(Path.DirectorySeparatorChar))
        {
            current = Path.Combine(current, segment);
            if (!Directory.Exists(current))
            {
                CreateDirectory(current);
            }
        }
    }

    private static string TopLevelName(string path)
    {
        var slash = path.IndexOf('/', StringComparison.Ordinal);
        return slash < 0 ? path : path[..slash];
    }

    private string NewPayloadDirName()
    {
        var now = _time.GetUtcNow();
        var suffix = RandomNumberGenerator.GetInt32(0, 1_000_000_000).ToString("D9", CultureInfo.InvariantCulture);
        return ".." + now.ToString("yyyy_MM_dd_HH_mm_ss", CultureInfo.InvariantCulture) + "." + suffix;
    }
}
