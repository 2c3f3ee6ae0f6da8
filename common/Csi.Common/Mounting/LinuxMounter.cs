using System.Runtime.InteropServices;
using System.Runtime.Versioning;

namespace Csi.Common.Mounting;

/// <summary>Mounts through mount(2) and umount2(2) directly; no mount process per call.</summary>
[SupportedOSPlatform("linux")]
public sealed partial class LinuxMounter : IMounter
{
    private const ulong MsNoSuid = 0x2;
    private const ulong MsNoDev = 0x4;
    private const int MntDetach = 0x2;
    private const int EInval = 22;
    private const int ENoEnt = 2;
    private const int EBusy = 16;

    private static readonly int[] CorruptedErrors =
    [
        107, // ENOTCONN: a FUSE daemon that died
        5,   // EIO
        116, // ESTALE
        13,  // EACCES
        112, // EHOSTDOWN
        103, // ECONNABORTED
    ];

    // struct statx (linux/stat.h): stx_attributes at byte 8, stx_attributes_mask at byte 56, 256 bytes in all.
    private const int StatxSize = 256;
    private const int StatxAttributesOffset = 8;
    private const int StatxAttributesMaskOffset = 56;
    private const ulong StatxAttrMountRoot = 0x2000;
    private const int AtFdCwd = -100;
    private const int AtSymlinkNoFollow = 0x100;

    private readonly string _mountInfoPath;

    public LinuxMounter(string mountInfoPath = MountInfo.SelfPath)
    {
        _mountInfoPath = mountInfoPath;
    }

    public MountPointState GetState(string target)
    {
        target = Normalize(target);
        var statResult = Stat(target);
        if (statResult == ENoEnt)
        {
            // As mount-utils: a path that does not exist is no mount point (and a mount that its path no longer
            // reaches could not be unmounted by that path either), so no read of the mount table here.
            return MountPointState.Missing;
        }
        if (statResult != 0)
        {
            return CorruptedErrors.Contains(statResult) ? MountPointState.Corrupted : throw new IOException($"stat {target}: errno {statResult}");
        }
        if (_mountInfoPath == MountInfo.SelfPath && IsMountRoot(target) is { } mountRoot)
        {
            return mountRoot ? MountPointState.Mounted : MountPointState.NotMounted;
        }
        return MountInfo.Find(target, _mountInfoPath) is null ? MountPointState.NotMounted : MountPointState.Mounted;
    }

    /// <summary>
    /// Whether <paramref name="path"/> is the root of a mount, from statx(2)'s STATX_ATTR_MOUNT_ROOT (Linux 5.8 and
    /// later): one system call, where the mount table costs a read of every mount on the node (thousands on a busy
    /// one). Null when the kernel does not report the attribute; a mounter given a mount table of its own reads that.
    /// </summary>
    internal static bool? IsMountRoot(string path)
    {
        Span<byte> buffer = stackalloc byte[StatxSize];
        if (Statx(AtFdCwd, path, AtSymlinkNoFollow, 0, ref MemoryMarshal.GetReference(buffer)) != 0)
        {
            return null;
        }
        var attributes = BitConverter.ToUInt64(buffer[StatxAttributesOffset..]);
        var attributesMask = BitConverter.ToUInt64(buffer[StatxAttributesMaskOffset..]);
        return (attributesMask & StatxAttrMountRoot) == 0 ? null : (attributes & StatxAttrMountRoot) != 0;
    }

    public void MountTmpfs(string target, UnixFileMode mode)
    {
        target = Normalize(target);
        var data = $"mode={Convert.ToString((int)mode, 8)}";
        if (NativeMount("tmpfs", target, "tmpfs", MsNoSuid | MsNoDev, data) != 0)
        {
            var errno = Marshal.GetLastPInvokeError();
            throw new IOException($"mount tmpfs on {target}: {Marshal.GetPInvokeErrorMessage(errno)} (errno {errno})");
        }
    }

    public void MountDevice(string device, string target, string fileSystemType, MountOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        target = Normalize(target);
        if (NativeMount(device, target, fileSystemType, options.Flags, options.Data) != 0)
        {
            var errno = Marshal.GetLastPInvokeError();
            throw new IOException($"mount {fileSystemType} {device} on {target}: {Marshal.GetPInvokeErrorMessage(errno)} (errno {errno})");
        }
    }

    public void BindMount(string source, string target, MountOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.Data.Length > 0)
        {
            throw new ArgumentException($"mount options \"{options.Data}\" cannot apply to a bind mount", nameof(options));
        }
        target = Normalize(target);
        if (NativeMount(source, target, string.Empty, MountOptions.BindFlag, string.Empty) != 0)
        {
            var errno = Marshal.GetLastPInvokeError();
            throw new IOException($"bind mount {source} on {target}: {Marshal.GetPInvokeErrorMessage(errno)} (errno {errno})");
        }
        if (options.Flags == 0)
        {
            return;
        }
        if (NativeMount(string.Empty, target, string.Empty, MountOptions.BindFlag | MountOptions.RemountFlag | options.Flags, string.Empty) != 0)
        {
            var errno = Marshal.GetLastPInvokeError();
            // Leave nothing half-done: a bind that should have been read-only must not stay writable.
            _ = NativeUnmount(target, MntDetach);
            throw new IOException($"remount bind {target} with flags 0x{options.Flags:x}: {Marshal.GetPInvokeErrorMessage(errno)} (errno {errno})");
        }
    }

    public void Unmount(string target)
    {
        target = Normalize(target);
        if (NativeUnmount(target, 0) == 0)
        {
            return;
        }
        var errno = Marshal.GetLastPInvokeError();
        if (errno is EInval or ENoEnt)
        {
            return;
        }
        if (errno == EBusy || CorruptedErrors.Contains(errno))
        {
            // Busy or dead: detach it from the tree now; the kernel frees it when the last user goes.
            if (NativeUnmount(target, MntDetach) == 0)
            {
                return;
            }
            errno = Marshal.GetLastPInvokeError();
        }
        throw new IOException($"unmount {target}: {Marshal.GetPInvokeErrorMessage(errno)} (errno {errno})");
    }

    private static string Normalize(string path)
    {
        var full = Path.GetFullPath(path);
        return full.Length > 1 ? full.TrimEnd('/') : full;
    }

    private static int Stat(string path)
    {
        if (Access(path, 0) != 0)
        {
            return Marshal.GetLastPInvokeError();
        }
        if (!Directory.Exists(path))
        {
            return 0;
        }
        try
        {
            // A mount counts as healthy only if it can be listed, as upstream's ReadDir check does.
            using var entries = Directory.EnumerateFileSystemEntries(path).GetEnumerator();
            _ = entries.MoveNext();
            return 0;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return Access(path, 4) != 0 ? Marshal.GetLastPInvokeError() : 5;
        }
    }

    [LibraryImport("libc", EntryPoint = "statx", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Statx(int directoryFd, string path, int flags, uint mask, ref byte buffer);

    [LibraryImport("libc", EntryPoint = "access", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Access(string path, int mode);

    [LibraryImport("libc", EntryPoint = "mount", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int NativeMount(string source, string target, string fileSystemType, ulong flags, string data);

    [LibraryImport("libc", EntryPoint = "umount2", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int NativeUnmount(string target, int flags);
}
