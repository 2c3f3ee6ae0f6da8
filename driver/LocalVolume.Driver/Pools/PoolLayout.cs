namespace LocalVolume.Driver.Pools;

/// <summary>How a pool holds its volumes.</summary>
public enum PoolLayout
{
    /// <summary>One btrfs subvolume per volume, capped by a qgroup limit.</summary>
    Subvolume,

    /// <summary>One sparse image file per volume, served through a loop device with its own filesystem.</summary>
    Image,
}
