using System.Runtime.InteropServices;

namespace SecretsStore.Driver.Files;

/// <summary>The few syscalls the atomic writer needs with their exact semantics.</summary>
internal static partial class NativeFileSystem
{
    /// <summary>rename(2): atomically replaces <paramref name="newPath"/>, symlinks included.</summary>
    public static void Rename(string oldPath, string newPath)
    {
        if (NativeRename(oldPath, newPath) != 0)
        {
            var errno = Marshal.GetLastPInvokeError();
            throw new IOException($"rename {oldPath} -> {newPath}: {Marshal.GetPInvokeErrorMessage(errno)}");
        }
    }

    /// <summary>link(2): a second name for the same inode, so an unchanged file keeps its identity.</summary>
    public static void HardLink(string existing, string newPath)
    {
        if (NativeLink(existing, newPath) != 0)
        {
            var errno = Marshal.GetLastPInvokeError();
            throw new IOException($"link {existing} -> {newPath}: {Marshal.GetPInvokeErrorMessage(errno)}");
        }
    }

    [LibraryImport("libc", EntryPoint = "rename", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int NativeRename(string oldPath, string newPath);

    [LibraryImport("libc", EntryPoint = "link", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int NativeLink(string existing, string newPath);
}
