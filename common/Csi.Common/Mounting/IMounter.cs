namespace Csi.Common.Mounting;

/// <summary>The operating system's mount table, as the drivers need it: <see cref="LinuxMounter"/> or <see cref="WindowsMounter"/>.</summary>
public interface IMounter
{
    MountPointState GetState(string target);

    /// <summary>Mounts a fresh tmpfs at an existing directory, with the given root mode.</summary>
    void MountTmpfs(string target, UnixFileMode mode);

    /// <summary>Mounts a block device holding a filesystem of <paramref name="fileSystemType"/> at an existing directory.</summary>
    void MountDevice(string device, string target, string fileSystemType, MountOptions options);

    /// <summary>
    /// Bind-mounts <paramref name="source"/> (a directory, or a file such as a device node) onto an existing target of
    /// the same kind. The generic flags of <paramref name="options"/> (read-only, nosuid, noexec...) are applied by a
    /// second, remounting call, since the kernel ignores them on the bind itself; filesystem-specific options cannot
    /// apply to a bind and are refused.
    /// </summary>
    void BindMount(string source, string target, MountOptions options);

    /// <summary>
    /// Unmounts the target; a target that is not a mount point is left alone. Where a volume is a plain directory
    /// (Windows nodes), this removes the directory with its contents.
    /// </summary>
    void Unmount(string target);
}
