namespace Csi.Common.Mounting;

/// <summary>The operating system's mount table, as the driver needs it.</summary>
public interface IMounter
{
    MountPointState GetState(string target);

    /// <summary>Mounts a fresh tmpfs at an existing directory, with the given root mode.</summary>
    void MountTmpfs(string target, UnixFileMode mode);

    /// <summary>Unmounts the target; a target that is not a mount point is left alone.</summary>
    void Unmount(string target);
}
