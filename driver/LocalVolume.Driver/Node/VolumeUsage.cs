namespace LocalVolume.Driver.Node;

/// <summary>What NodeGetVolumeStats reports: bytes always, inodes when the volume has its own filesystem or shares the pool's.</summary>
public sealed record VolumeUsage(long TotalBytes, long UsedBytes, long AvailableBytes, long? TotalInodes, long? UsedInodes, long? FreeInodes, bool Abnormal, string Condition);
