using System.Runtime.InteropServices;

namespace LocalVolume.Driver.Tools;

/// <summary>statfs(2) on 64-bit Linux.</summary>
internal static partial class NativeStatFs
{
    [StructLayout(LayoutKind.Sequential)]
    public struct StatFsBuffer
    {
        public long Type;
        public long BlockSize;
        public ulong Blocks;
        public ulong BlocksFree;
        public ulong BlocksAvailable;
        public ulong Files;
        public ulong FilesFree;
        public long FileSystemId;
        public long NameLength;
        public long FragmentSize;
        public long Flags;
        public long Spare0;
        public long Spare1;
        public long Spare2;
        public long Spare3;
    }

    [LibraryImport("libc", EntryPoint = "statfs", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int StatFs(string path, out StatFsBuffer buffer);
}
