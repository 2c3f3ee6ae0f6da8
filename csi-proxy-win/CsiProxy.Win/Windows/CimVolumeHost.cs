using System.Runtime.InteropServices;
using System.Runtime.Versioning;
using CsiProxy.Win.Cim;
using CsiProxy.Win.Hosts;
using Microsoft.Management.Infrastructure;

namespace CsiProxy.Win.Windows;

/// <summary>Volumes through MSFT_Volume and MSFT_Partition; mount points and free space through Win32.</summary>
[SupportedOSPlatform("windows")]
public sealed class CimVolumeHost : IVolumeHost
{
    /// <summary>Upstream's bound on link chasing: a loop of links cannot hold a call forever.</summary>
    public const int MaxLinkHops = 256;

    private readonly CimConnection _cim;

    public CimVolumeHost(CimConnection cim)
    {
        _cim = cim;
    }

    public IReadOnlyList<string> ListVolumesOnDisk(uint diskNumber, uint partitionNumber)
    {
        var query = partitionNumber == 0 ? CimQueries.Partitions(diskNumber) : CimQueries.Partition(diskNumber, partitionNumber);
        return _cim.Query(CimNamespaces.Storage, query)
            .SelectMany(p => _cim.Associated(CimNamespaces.Storage, p, "MSFT_PartitionToVolume", "MSFT_Volume"))
            .Select(v => CimValues.String(v, "UniqueId"))
            .Where(id => id.Length > 0)
            .ToList();
    }

    public string? GetVolumeMountedAt(string targetPath)
    {
        var attributes = NativeMethods.GetFileAttributes(targetPath);
        if (attributes == NativeMethods.InvalidFileAttributes || (attributes & NativeMethods.FileAttributeReparsePoint) == 0)
        {
            return null;
        }
        var name = new char[NativeMethods.MaxPath];
        return NativeMethods.GetVolumeNameForVolumeMountPoint(WithSeparator(targetPath), name, (uint)name.Length)
            ? NativeMethods.Terminated(name)
            : null;
    }

    public void Mount(string volumeId, string targetPath)
    {
        Directory.CreateDirectory(targetPath);
        if (!NativeMethods.SetVolumeMountPoint(WithSeparator(targetPath), volumeId))
        {
            throw Win32Failure($"mounting {volumeId} at {targetPath}");
        }
    }

    public void Unmount(string targetPath)
    {
        if (!NativeMethods.DeleteVolumeMountPoint(WithSeparator(targetPath)))
        {
            throw Win32Failure($"unmounting {targetPath}");
        }
    }

    public bool IsFormatted(string volumeId) => CimValues.UInt32(Volume(volumeId), "FileSystemType") != 0;

    public void FormatNtfs(string volumeId) => _cim.Invoke(CimCalls.FormatNtfs(), Volume(volumeId));

    public HostPartitionSize GetPartitionSize(string volumeId)
    {
        var partition = Partition(volumeId);
        var supported = _cim.Invoke(CimCalls.GetPartitionSupportedSize(), partition);
        return new HostPartitionSize(CimValues.Int64(partition, "Size"), CimValues.OutInt64(supported, "SizeMax"));
    }

    public void ResizePartition(string volumeId, long sizeBytes)
    {
        var partition = Partition(volumeId);
        _cim.Invoke(CimCalls.ResizePartition((ulong)sizeBytes), partition);
        if (_cim.QuerySingle(CimNamespaces.Storage, CimQueries.Disk(CimValues.UInt32(partition, "DiskNumber"))) is { } disk)
        {
            _cim.Invoke(CimCalls.RefreshDisk(), disk);
        }
    }

    public HostVolumeStats GetStats(string volumeId)
    {
        if (!NativeMethods.GetDiskFreeSpaceEx(volumeId, out _, out var total, out var free))
        {
            throw Win32Failure($"reading the free space of {volumeId}");
        }
        return new HostVolumeStats((long)total, (long)(total - free));
    }

    public uint GetDiskNumber(string volumeId) => CimValues.UInt32(Partition(volumeId), "DiskNumber");

    public string GetVolumeIdFromTargetPath(string targetPath)
    {
        var path = targetPath;
        for (var hop = 0; hop < MaxLinkHops; hop++)
        {
            if (GetVolumeMountedAt(path) is { } mounted)
            {
                return mounted;
            }
            var next = new DirectoryInfo(path).LinkTarget;
            if (next is null)
            {
                return VolumeContaining(path);
            }
            path = Path.IsPathRooted(next) ? next : Path.GetFullPath(next, Path.GetDirectoryName(path) ?? path);
        }
        throw new ProxyException(ProxyErrorCode.FailedPrecondition, $"target_path: more than {MaxLinkHops} links to follow from {targetPath}");
    }

    public void Flush(string volumeId) => _cim.Invoke(CimCalls.FlushVolume(), Volume(volumeId));

    private static string VolumeContaining(string path)
    {
        var root = new char[NativeMethods.MaxPath];
        var name = new char[NativeMethods.MaxPath];
        if (!NativeMethods.GetVolumePathName(path, root, (uint)root.Length)
            || !NativeMethods.GetVolumeNameForVolumeMountPoint(NativeMethods.Terminated(root), name, (uint)name.Length))
        {
            throw Win32Failure($"finding the volume of {path}");
        }
        return NativeMethods.Terminated(name);
    }

    private CimInstance Volume(string volumeId)
        => _cim.QuerySingle(CimNamespaces.Storage, CimQueries.Volume(volumeId))
            ?? throw new ProxyException(ProxyErrorCode.NotFound, $"volume_id: no volume {volumeId} on this host");

    private CimInstance Partition(string volumeId)
    {
        var partitions = _cim.Associated(CimNamespaces.Storage, Volume(volumeId), "MSFT_PartitionToVolume", "MSFT_Partition");
        return partitions.Count > 0 ? partitions[0] : throw new ProxyException(ProxyErrorCode.NotFound, $"volume_id: volume {volumeId} has no partition");
    }

    private static string WithSeparator(string path) => path.EndsWith('\\') ? path : path + @"\";

    private static ProxyException Win32Failure(string what)
        => new(ProxyErrorCode.Internal, $"{what} failed: {Marshal.GetLastPInvokeErrorMessage()}");
}
