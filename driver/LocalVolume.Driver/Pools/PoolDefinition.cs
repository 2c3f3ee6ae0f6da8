namespace LocalVolume.Driver.Pools;

/// <summary>One pool as configured: where it lives, how much it may hand out, and how.</summary>
/// <param name="Name">What a StorageClass names in its <c>pool</c> parameter.</param>
/// <param name="Directory">The pool's root; for the subvolume layout, a directory on btrfs.</param>
/// <param name="CapacityBytes">The budget: the sum of the sizes of its volumes and snapshots never exceeds it.</param>
/// <param name="Layout">Subvolume or image.</param>
/// <param name="DefaultFileSystem">For the image layout: the filesystem made when a request names none.</param>
public sealed record PoolDefinition(string Name, string Directory, long CapacityBytes, PoolLayout Layout, string DefaultFileSystem);
