using System.Runtime.InteropServices;

namespace LocalVolume.Driver.Tools;

/// <summary>statfs(2) of a path: what a workload sees as its filesystem's size and free space.</summary>
public readonly record struct FileSystemStats(long Type, long TotalBytes, long AvailableBytes, long UsedBytes, long TotalInodes, long FreeInodes)
{
    public static FileSystemStats Read(string path)
    {
        if (NativeStatFs.StatFs(path, out var s) != 0)
        {
            var errno = Marshal.GetLastPInvokeError();
            throw new IOException($"statfs {path}: {Marshal.GetPInvokeErrorMessage(errno)} (errno {errno})");
        }
        var blockSize = s.FragmentSize != 0 ? s.FragmentSize : s.BlockSize;
        return new FileSystemStats(
            s.Type,
            (long)s.Blocks * blockSize,
            (long)s.BlocksAvailable * blockSize,
            (long)(s.Blocks - s.BlocksFree) * blockSize,
            (long)s.Files,
            (long)s.FilesFree);
    }
}
