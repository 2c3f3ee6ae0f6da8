namespace Csi.Common.Mounting;

/// <summary>What a target path is, as far as mounting goes.</summary>
public enum MountPointState
{
    /// <summary>Nothing exists at the path.</summary>
    Missing,

    /// <summary>A directory that is not a mount point.</summary>
    NotMounted,

    /// <summary>A mount point that answers reads.</summary>
    Mounted,

    /// <summary>A mount point that no longer answers (ENOTCONN, EIO, ESTALE...); it must be unmounted.</summary>
    Corrupted,
}
