namespace LocalVolume.Driver.Volumes;

/// <summary>A pool's budget and what is left of it after every volume and snapshot it holds or is making.</summary>
public sealed record PoolCapacity(string Pool, long TotalBytes, long AvailableBytes);
