namespace Csi.Testing;

/// <summary>One line of <c>findmnt</c>: where, what, which file system type, with which options.</summary>
public sealed record MountedFileSystem(string Target, string Source, string FileSystemType, string Options);
