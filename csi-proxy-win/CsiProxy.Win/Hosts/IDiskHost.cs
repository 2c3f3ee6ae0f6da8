namespace CsiProxy.Win.Hosts;

/// <summary>The host's disks (MSFT_Disk and device IOCTLs). Disk numbers are checked to exist by the host.</summary>
public interface IDiskHost
{
    /// <summary>Each disk's number and raw location string ("PCI Slot 3 : Adapter 0 : Port 0 : Target 1 : LUN 0").</summary>
    IReadOnlyDictionary<uint, string> ListDiskLocations();

    /// <summary>Each disk's number, SCSI page 0x83 identifier (formatted by <see cref="DiskIdentifiers"/>) and serial number.</summary>
    IReadOnlyDictionary<uint, HostDiskIds> ListDiskIds();

    /// <summary>The disk's partition style and whether it has a partition other than the reserved one.</summary>
    HostDiskLayout GetLayout(uint diskNumber);

    void InitializeGpt(uint diskNumber);

    void CreateMaximumPartition(uint diskNumber);

    void Rescan();

    long GetSize(uint diskNumber);

    bool IsOnline(uint diskNumber);

    void SetOnline(uint diskNumber, bool online);
}

public sealed record HostDiskIds(string Page83, string SerialNumber);

public sealed record HostDiskLayout(bool IsRaw, bool HasDataPartition);
