namespace Csi.Common.Mounting;

/// <summary>One line of /proc/self/mountinfo, with paths unescaped.</summary>
public sealed record MountInfoEntry(int MountId, int ParentId, string Root, string MountPoint, string FileSystemType, string Source, string MountOptions);
