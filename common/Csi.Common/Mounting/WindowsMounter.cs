namespace Csi.Common.Mounting;

/// <summary>
/// The mount layer of a Windows node, where a volume without a device is a plain directory on the node's disk:
/// there is no tmpfs and no mount table to ask. Mounting makes the directory, unmounting removes it with everything
/// in it, and a directory counts as mounted once it holds anything. Only portable file-system calls, so the rules run
/// (and are tested) on any operating system.
/// </summary>
public sealed class WindowsMounter : IMounter
{
    /// <summary>Missing when nothing is there; mounted when the directory has an entry; not mounted when it is empty (or not a directory).</summary>
    public MountPointState GetState(string target)
    {
        ArgumentException.ThrowIfNullOrEmpty(target);
        if (!Directory.Exists(target))
        {
            return File.Exists(target) ? MountPointState.NotMounted : MountPointState.Missing;
        }
        try
        {
            using var entries = Directory.EnumerateFileSystemEntries(target).GetEnumerator();
            return entries.MoveNext() ? MountPointState.Mounted : MountPointState.NotMounted;
        }
        catch (UnauthorizedAccessException e)
        {
            throw new IOException($"list {target}: {e.Message}", e);
        }
    }

    /// <summary>Makes the directory: the volume lives on the node's disk. File modes do not exist on Windows, so <paramref name="mode"/> is not used.</summary>
    public void MountTmpfs(string target, UnixFileMode mode)
    {
        ArgumentException.ThrowIfNullOrEmpty(target);
        Directory.CreateDirectory(target);
    }

    public void MountDevice(string device, string target, string fileSystemType, MountOptions options)
        => throw new NotSupportedException($"mounting {fileSystemType} device {device} at {target} is not supported on a Windows node; a Windows CSI driver mounts disks through csi-proxy");

    public void BindMount(string source, string target, MountOptions options)
        => throw new NotSupportedException($"bind-mounting {source} at {target} is not supported on a Windows node; a Windows CSI driver links directories through csi-proxy");

    /// <summary>Removes the directory and everything in it; links inside are removed, never followed. A missing target is left alone.</summary>
    public void Unmount(string target)
    {
        ArgumentException.ThrowIfNullOrEmpty(target);
        if (Directory.Exists(target))
        {
            try
            {
                Directory.Delete(target, recursive: true);
            }
            catch (UnauthorizedAccessException e)
            {
                throw new IOException($"remove {target}: {e.Message}", e);
            }
        }
    }
}
