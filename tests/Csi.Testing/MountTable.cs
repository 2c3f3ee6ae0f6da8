using System.Diagnostics;
using System.Text.Json;
using Csi.Common.Mounting;

namespace Csi.Testing;

/// <summary>
/// Mount-table questions tests ask, answered by util-linux's <c>findmnt --json</c>: an independent reader, so a test
/// of the suite's own mountinfo parser cannot pass by sharing its mistakes.
/// </summary>
public static class MountTable
{
    /// <summary>Every mount of this process's mount namespace, in mount order (a later entry covers an earlier one at the same target).</summary>
    public static IReadOnlyList<MountedFileSystem> All()
    {
        var start = new ProcessStartInfo("findmnt", "--json --list --output TARGET,SOURCE,FSTYPE,OPTIONS")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        using var process = Process.Start(start) ?? throw new InvalidOperationException("findmnt did not start (util-linux is needed by the mount tests)");
        var output = process.StandardOutput.ReadToEnd();
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"findmnt exited {process.ExitCode}: {error.Trim()}");
        }
        using var json = JsonDocument.Parse(output);
        return json.RootElement.GetProperty("filesystems").EnumerateArray()
            .Select(e => new MountedFileSystem(
                e.GetProperty("target").GetString() ?? "",
                e.GetProperty("source").GetString() ?? "",
                e.GetProperty("fstype").GetString() ?? "",
                e.GetProperty("options").GetString() ?? ""))
            .ToArray();
    }

    /// <summary>The topmost mount on <paramref name="mountPoint"/>, or null if nothing is mounted there.</summary>
    public static MountedFileSystem? At(string mountPoint)
    {
        var target = Normalize(mountPoint);
        return All().LastOrDefault(m => m.Target == target);
    }

    /// <summary>The file system type of the topmost mount on <paramref name="mountPoint"/>, or null if nothing is mounted there.</summary>
    public static string? FileSystemAt(string mountPoint) => At(mountPoint)?.FileSystemType;

    /// <summary>How many mounts are stacked on <paramref name="mountPoint"/>.</summary>
    public static int CountAt(string mountPoint)
    {
        var target = Normalize(mountPoint);
        return All().Count(m => m.Target == target);
    }

    /// <summary>The mounts at or beneath <paramref name="directory"/>.</summary>
    public static IReadOnlyList<MountedFileSystem> Beneath(string directory)
    {
        var root = Normalize(directory);
        return All().Where(m => m.Target == root || m.Target.StartsWith(root + "/", StringComparison.Ordinal)).ToArray();
    }

    /// <summary>Unmounts everything at or beneath <paramref name="directory"/>, deepest first; detached if busy.</summary>
    public static void UnmountBeneath(string directory)
    {
        var mounter = new LinuxMounter();
        foreach (var mount in Beneath(directory).Reverse())
        {
            mounter.Unmount(mount.Target);
        }
    }

    private static string Normalize(string path) => Path.TrimEndingDirectorySeparator(Path.GetFullPath(path));
}
