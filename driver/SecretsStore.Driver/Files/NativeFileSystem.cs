using System.Runtime.InteropServices;

namespace SecretsStore.Driver.Files;

/// <summary>The few system calls the atomic writer needs with their exact semantics, on Linux (libc) and Windows (kernel32).</summary>
internal static partial class NativeFileSystem
{
    private const int MoveFileWriteThrough = 0x8;

    /// <summary>
    /// Puts the link <paramref name="newLink"/> in the place of <paramref name="link"/>. Linux: one rename(2), atomic.
    /// Windows cannot rename over a directory link: the old one is removed first, then the new one renamed.
    /// </summary>
    public static void ReplaceLink(string newLink, string link)
    {
        if (OperatingSystem.IsWindows())
        {
            if (new FileInfo(link).LinkTarget is not null)
            {
                // RemoveDirectory on a directory link removes the link, never what it points to.
                Directory.Delete(link);
            }
            if (!MoveFileEx(newLink, link, MoveFileWriteThrough))
            {
                var error = Marshal.GetLastPInvokeError();
                throw new IOException($"move {newLink} -> {link}: {Marshal.GetPInvokeErrorMessage(error)}");
            }
            return;
        }
        if (NativeRename(newLink, link) != 0)
        {
            var errno = Marshal.GetLastPInvokeError();
            throw new IOException($"rename {newLink} -> {link}: {Marshal.GetPInvokeErrorMessage(errno)}");
        }
    }

    /// <summary>link(2) or CreateHardLink: a second name for the same file, so an unchanged file keeps its identity.</summary>
    public static void HardLink(string existing, string newPath)
    {
        if (OperatingSystem.IsWindows())
        {
            if (!CreateHardLink(newPath, existing, IntPtr.Zero))
            {
                var error = Marshal.GetLastPInvokeError();
                throw new IOException($"link {existing} -> {newPath}: {Marshal.GetPInvokeErrorMessage(error)}");
            }
            return;
        }
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

    [LibraryImport("kernel32", EntryPoint = "MoveFileExW", SetLastError = true, StringMarshalling = StringMarshalling.Utf16)]
    [return: MarshalAs(UnmanagedType.Bool)]
    private static partial bool MoveFileEx(string existing, string newName, int flags);

    [LibraryImport("kernel32", EntryPoint = "CreateHardLinkW", SetLastError = true, StringMarshalling = StringMarshalling.Utf16)]
    [return: MarshalAs(UnmanagedType.Bool)]
    private static partial bool CreateHardLink(string newPath, string existing, IntPtr securityAttributes);
}
