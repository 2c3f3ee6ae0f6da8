namespace CsiProxy.Win.Hosts;

/// <summary>The host's file system. Paths reach it canonical and already checked by <see cref="Paths.PathRules"/>.</summary>
public interface IFileSystemHost
{
    /// <summary>Whether anything exists at the path, without following a final link.</summary>
    bool Exists(string path);

    /// <summary>Creates the directory and any missing parents.</summary>
    void CreateDirectory(string path);

    /// <summary>Removes an empty directory or a link (never its target); with <paramref name="recursive"/>, a directory and its contents.</summary>
    void Remove(string path, bool recursive);

    /// <summary>Creates a directory link at <paramref name="linkPath"/> pointing at <paramref name="targetPath"/> (a local or UNC path).</summary>
    void CreateDirectoryLink(string linkPath, string targetPath);

    /// <summary>Where the link or mount point at the path points, or null when the path is not one.</summary>
    string? GetLinkTarget(string path);

    /// <summary>Whether the path is a symbolic link or mount point whose target exists.</summary>
    bool IsLinkWithLiveTarget(string path);

    /// <summary>Whether the path (local or UNC) can be reached now; a stale SMB session answers false.</summary>
    bool IsReachable(string path);
}
