namespace CsiProxy.Win.Hosts;

/// <summary>The host's volumes and partitions (MSFT_Volume, MSFT_Partition, volume mount points). Volume ids are canonical \\?\Volume{GUID}\.</summary>
public interface IVolumeHost
{
    /// <summary>The volumes on the disk; on one partition when <paramref name="partitionNumber"/> is not 0.</summary>
    IReadOnlyList<string> ListVolumesOnDisk(uint diskNumber, uint partitionNumber);

    /// <summary>The volume mounted at <paramref name="targetPath"/>, or null when it is not a mount point (or does not exist).</summary>
    string? GetVolumeMountedAt(string targetPath);

    void Mount(string volumeId, string targetPath);

    void Unmount(string targetPath);

    bool IsFormatted(string volumeId);

    void FormatNtfs(string volumeId);

    /// <summary>The current size of the volume's partition and the largest it can grow to.</summary>
    HostPartitionSize GetPartitionSize(string volumeId);

    void ResizePartition(string volumeId, long sizeBytes);

    HostVolumeStats GetStats(string volumeId);

    uint GetDiskNumber(string volumeId);

    /// <summary>Follows links from <paramref name="targetPath"/> (a bounded number of hops) to the volume behind it.</summary>
    string GetVolumeIdFromTargetPath(string targetPath);

    void Flush(string volumeId);
}

public sealed record HostPartitionSize(long CurrentBytes, long MaximumBytes);

public sealed record HostVolumeStats(long TotalBytes, long UsedBytes);
