namespace LocalVolume.Driver.Pools;

/// <summary>The filesystems an image volume can carry.</summary>
public static class FileSystems
{
    public const string Ext4 = "ext4";
    public const string Xfs = "xfs";

    public static IReadOnlyList<string> Supported { get; } = [Ext4, Xfs];

    public static bool IsSupported(string name) => name is Ext4 or Xfs;

    /// <summary>mkfs.xfs refuses filesystems under 300 MiB.</summary>
    public static long MinimumBytes(string name) => name == Xfs ? 300L << 20 : 16L << 20;
}
