using System.Runtime.Versioning;
using CsiProxy.Win.Hosts;

namespace CsiProxy.Win.Windows;

/// <summary>The file system through System.IO and GetFileAttributes (which, unlike most existence checks, never follows a final link).</summary>
[SupportedOSPlatform("windows")]
public sealed class Win32FileSystemHost : IFileSystemHost
{
    public bool Exists(string path) => NativeMethods.GetFileAttributes(path) != NativeMethods.InvalidFileAttributes;

    public void CreateDirectory(string path) => Directory.CreateDirectory(path);

    public void Remove(string path, bool recursive)
    {
        var attributes = File.GetAttributes(path);
        if (attributes.HasFlag(FileAttributes.ReparsePoint) || !attributes.HasFlag(FileAttributes.Directory))
        {
            // A link (or mount point) goes alone: its target's contents are never touched.
            if (attributes.HasFlag(FileAttributes.Directory))
            {
                Directory.Delete(path, recursive: false);
            }
            else
            {
                File.Delete(path);
            }
            return;
        }
        Directory.Delete(path, recursive);
    }

    public void CreateDirectoryLink(string linkPath, string targetPath) => Directory.CreateSymbolicLink(linkPath, targetPath);

    public string? GetLinkTarget(string path)
    {
        if (!Exists(path))
        {
            return null;
        }
        return new DirectoryInfo(path).LinkTarget;
    }

    public bool IsLinkWithLiveTarget(string path)
    {
        var attributes = NativeMethods.GetFileAttributes(path);
        if (attributes == NativeMethods.InvalidFileAttributes || (attributes & NativeMethods.FileAttributeReparsePoint) == 0)
        {
            return false;
        }
        try
        {
            // A mount point has no link target but a live volume behind it; a symlink must resolve to something that exists.
            return Directory.ResolveLinkTarget(path, returnFinalTarget: true) is { } target ? target.Exists : Directory.Exists(path);
        }
        catch (IOException)
        {
            return false;
        }
    }

    public bool IsReachable(string path) => Exists(path);
}
