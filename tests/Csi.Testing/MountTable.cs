using SecretsStore.Driver.Mounting;

namespace Csi.Testing;

/// <summary>Mount-table questions tests ask, answered through the driver's own mountinfo reader and mounter.</summary>
public static class MountTable
{
    /// <summary>The file system type of the topmost mount on <paramref name="mountPoint"/>, or null if nothing is mounted there.</summary>
    public static string? FileSystemAt(string mountPoint)
        => MountInfo.Find(Path.TrimEndingDirectorySeparator(Path.GetFullPath(mountPoint)))?.FileSystemType;

    /// <summary>Unmounts everything at or beneath <paramref name="directory"/>, deepest first; detached if busy.</summary>
    public static void UnmountBeneath(string directory)
    {
        var root = Path.TrimEndingDirectorySeparator(Path.GetFullPath(directory));
        var mounter = new LinuxMounter();
        foreach (var entry in MountInfo.Read().Where(e => e.MountPoint == root || e.MountPoint.StartsWith(root + "/", StringComparison.Ordinal)).Reverse())
        {
            mounter.Unmount(entry.MountPoint);
        }
    }
}
