using LocalVolume.Driver.Volumes;

namespace LocalVolume.Driver.Node;

/// <summary>The checks a path from a node request passes before anything is mounted, made or removed there.</summary>
public static class NodePaths
{
    /// <summary>Returns the path as given when it is absolute, has no "." or ".." element and no NUL; throws INVALID_ARGUMENT naming the field otherwise.</summary>
    public static string Check(string path, string field)
    {
        if (string.IsNullOrEmpty(path))
        {
            throw new VolumeException(VolumeErrorKind.InvalidArgument, $"{field}: missing");
        }
        if (!path.StartsWith('/') || path.Contains('\0', StringComparison.Ordinal))
        {
            throw new VolumeException(VolumeErrorKind.InvalidArgument, $"{field}: \"{path}\" is not an absolute path");
        }
        if (path.Split('/').Any(element => element is "." or ".."))
        {
            throw new VolumeException(VolumeErrorKind.InvalidArgument, $"{field}: \"{path}\" has a \".\" or \"..\" element");
        }
        return path.Length > 1 ? path.TrimEnd('/') : path;
    }
}
