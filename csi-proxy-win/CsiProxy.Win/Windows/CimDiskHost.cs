using System.Globalization;
using System.Runtime.Versioning;
using CsiProxy.Win.Cim;
using CsiProxy.Win.Hosts;
using Microsoft.Management.Infrastructure;

namespace CsiProxy.Win.Windows;

/// <summary>Disks through MSFT_Disk and MSFT_Partition; page 0x83 ids through IOCTL_STORAGE_QUERY_PROPERTY.</summary>
[SupportedOSPlatform("windows")]
public sealed class CimDiskHost : IDiskHost
{
    private const ushort PartitionStyleRaw = 0;
    private const string ReservedPartitionType = "{e3c9e316-0b5c-4db8-817d-f92df00215ae}";
    private const int DeviceIdBufferSize = 4096;

    private readonly CimConnection _cim;

    public CimDiskHost(CimConnection cim)
    {
        _cim = cim;
    }

    public IReadOnlyDictionary<uint, string> ListDiskLocations()
        => _cim.Query(CimNamespaces.Storage, CimQueries.AllDisks())
            .ToDictionary(d => CimValues.UInt32(d, "Number"), d => CimValues.String(d, "Location"));

    public IReadOnlyDictionary<uint, HostDiskIds> ListDiskIds()
    {
        var result = new Dictionary<uint, HostDiskIds>();
        foreach (var disk in _cim.Query(CimNamespaces.Storage, CimQueries.AllDisks()))
        {
            var number = CimValues.UInt32(disk, "Number");
            result[number] = new HostDiskIds(ReadPage83(number) ?? "", CimValues.String(disk, "SerialNumber").Trim());
        }
        return result;
    }

    public HostDiskLayout GetLayout(uint diskNumber)
    {
        var disk = Disk(diskNumber);
        var isRaw = Convert.ToUInt16(disk.CimInstanceProperties["PartitionStyle"]?.Value ?? PartitionStyleRaw, CultureInfo.InvariantCulture) == PartitionStyleRaw;
        var hasData = !isRaw && _cim.Query(CimNamespaces.Storage, CimQueries.Partitions(diskNumber))
            .Any(p => !string.Equals(CimValues.String(p, "GptType"), ReservedPartitionType, StringComparison.OrdinalIgnoreCase));
        return new HostDiskLayout(isRaw, hasData);
    }

    public void InitializeGpt(uint diskNumber) => _cim.Invoke(CimCalls.InitializeDiskGpt(), Disk(diskNumber));

    public void CreateMaximumPartition(uint diskNumber)
    {
        var disk = Disk(diskNumber);
        _cim.Invoke(CimCalls.CreateMaximumPartition(), disk, CimReturnCodes.AccessPathInUse);
        _cim.Invoke(CimCalls.RefreshDisk(), disk);
    }

    public void Rescan() => _cim.Invoke(CimCalls.UpdateHostStorageCache(), null);

    public long GetSize(uint diskNumber) => CimValues.Int64(Disk(diskNumber), "Size");

    public bool IsOnline(uint diskNumber) => !CimValues.Bool(Disk(diskNumber), "IsOffline");

    public void SetOnline(uint diskNumber, bool online) => _cim.Invoke(CimCalls.SetDiskOnline(online), Disk(diskNumber));

    private CimInstance Disk(uint number)
        => _cim.QuerySingle(CimNamespaces.Storage, CimQueries.Disk(number))
            ?? throw new ProxyException(ProxyErrorCode.NotFound, $"disk_number: no disk {number.ToString(CultureInfo.InvariantCulture)} on this host");

    private static unsafe string? ReadPage83(uint diskNumber)
    {
        // Access 0: a property query needs no read or write rights on the device.
        using var device = NativeMethods.CreateFile(
            $@"\\.\PhysicalDrive{diskNumber.ToString(CultureInfo.InvariantCulture)}", 0, NativeMethods.FileShareReadWrite, 0, NativeMethods.OpenExisting, 0, 0);
        if (device.IsInvalid)
        {
            return null;
        }
        // STORAGE_PROPERTY_QUERY { PropertyId = StorageDeviceIdProperty (2), QueryType = PropertyStandardQuery (0) }.
        var query = stackalloc uint[3] { 2, 0, 0 };
        var buffer = new byte[DeviceIdBufferSize];
        fixed (byte* output = buffer)
        {
            if (!NativeMethods.DeviceIoControl(device, NativeMethods.IoctlStorageQueryProperty, query, 12, output, (uint)buffer.Length, out var returned, 0))
            {
                return null;
            }
            return StorageDeviceIdParser.Page83(buffer.AsSpan(0, (int)returned));
        }
    }
}
