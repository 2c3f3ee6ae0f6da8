using System.Runtime.InteropServices;

namespace LocalVolume.Driver.State;

/// <summary>open/fsync/close for flushing a directory entry, which .NET has no API for.</summary>
internal static partial class NativeFile
{
    public const int ReadOnlyDirectory = 0x10000; // O_RDONLY | O_DIRECTORY

    [LibraryImport("libc", EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int Open(string path, int flags);

    [LibraryImport("libc", EntryPoint = "fsync", SetLastError = true)]
    public static partial int FSync(int fd);

    [LibraryImport("libc", EntryPoint = "close", SetLastError = true)]
    public static partial int Close(int fd);
}
