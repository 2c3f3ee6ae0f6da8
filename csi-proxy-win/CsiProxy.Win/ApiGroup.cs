namespace CsiProxy.Win;

/// <summary>An API group at one version, and the named pipe it is served on: \\.\pipe\csi-proxy-&lt;group&gt;-&lt;version&gt;.</summary>
public sealed record ApiGroup(string Name, string Version)
{
    public static readonly ApiGroup DiskV1 = new("disk", "v1");
    public static readonly ApiGroup VolumeV1 = new("volume", "v1");
    public static readonly ApiGroup FilesystemV1 = new("filesystem", "v1");
    public static readonly ApiGroup SmbV1 = new("smb", "v1");
    public static readonly ApiGroup SystemV1Alpha1 = new("system", "v1alpha1");

    /// <summary>Every group and version this proxy serves.</summary>
    public static readonly IReadOnlyList<ApiGroup> Served = [DiskV1, VolumeV1, FilesystemV1, SmbV1, SystemV1Alpha1];

    /// <summary>The pipe's name, as a server listens on it: csi-proxy-disk-v1.</summary>
    public string PipeName => $"csi-proxy-{Name}-{Version}";

    /// <summary>The pipe's full path, as a node plugin's manifest mounts it.</summary>
    public string PipePath => $@"\\.\pipe\{PipeName}";

    public override string ToString() => $"{Name}/{Version}";
}
