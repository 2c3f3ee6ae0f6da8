using CsiProxy.Win.Api.VolumeV1;
using CsiProxy.Win.Hosts;
using CsiProxy.Win.Paths;
using Csi.Common.Concurrency;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace CsiProxy.Win.Groups;

/// <summary>
/// The volume v1 group. Mount, unmount, format and resize are idempotent: a repeated call finds the work done
/// and returns; calls on one volume (or one target path) run one at a time.
/// </summary>
public sealed class VolumeGroup : IVolumeApi
{
    /// <summary>Growth below this is a no-op: a partition cannot grow by less than its minimum extent, and asking fails ("Size Not Supported").</summary>
    public const long MinimumResizeBytes = 100L * 1024 * 1024;

    private readonly IVolumeHost _host;
    private readonly PathRules _paths;
    private readonly ILogger _logger;
    private readonly KeyedLock _locks = new();

    public VolumeGroup(IVolumeHost host, PathRules paths, ILogger<VolumeGroup>? logger = null)
    {
        _host = host;
        _paths = paths;
        _logger = logger ?? NullLogger<VolumeGroup>.Instance;
    }

    public Task<ListVolumesOnDiskResponse> ListVolumesOnDiskAsync(ListVolumesOnDiskRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var response = new ListVolumesOnDiskResponse();
        response.VolumeIds.AddRange(_host.ListVolumesOnDisk(request.DiskNumber, request.PartitionNumber));
        return Task.FromResult(response);
    }

    public async Task<MountVolumeResponse> MountVolumeAsync(MountVolumeRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var volumeId = VolumeId.Check("volume_id", request.VolumeId);
        var target = _paths.Check("target_path", request.TargetPath);
        using (await _locks.AcquireAsync(PathKey(target), cancellationToken).ConfigureAwait(false))
        {
            var mounted = _host.GetVolumeMountedAt(target);
            if (mounted is not null)
            {
                return SameVolume(mounted, volumeId)
                    ? new MountVolumeResponse()
                    : throw new ProxyException(ProxyErrorCode.FailedPrecondition, $"target_path: {target} already has another volume mounted ({mounted})");
            }
            _host.Mount(volumeId, target);
            GroupLog.VolumeMounted(_logger, volumeId, target);
        }
        return new MountVolumeResponse();
    }

    public async Task<UnmountVolumeResponse> UnmountVolumeAsync(UnmountVolumeRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var volumeId = VolumeId.Check("volume_id", request.VolumeId);
        var target = _paths.Check("target_path", request.TargetPath);
        using (await _locks.AcquireAsync(PathKey(target), cancellationToken).ConfigureAwait(false))
        {
            var mounted = _host.GetVolumeMountedAt(target);
            if (mounted is null)
            {
                return new UnmountVolumeResponse();
            }
            if (!SameVolume(mounted, volumeId))
            {
                throw new ProxyException(ProxyErrorCode.FailedPrecondition, $"target_path: {target} has another volume mounted ({mounted})");
            }
            _host.Flush(volumeId);
            _host.Unmount(target);
            GroupLog.VolumeUnmounted(_logger, volumeId, target);
        }
        return new UnmountVolumeResponse();
    }

    public Task<IsVolumeFormattedResponse> IsVolumeFormattedAsync(IsVolumeFormattedRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var volumeId = VolumeId.Check("volume_id", request.VolumeId);
        return Task.FromResult(new IsVolumeFormattedResponse { Formatted = _host.IsFormatted(volumeId) });
    }

    /// <summary>Formats NTFS only a volume without a file system: a retried call never wipes data written since.</summary>
    public async Task<FormatVolumeResponse> FormatVolumeAsync(FormatVolumeRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var volumeId = VolumeId.Check("volume_id", request.VolumeId);
        using (await _locks.AcquireAsync(volumeId, cancellationToken).ConfigureAwait(false))
        {
            if (!_host.IsFormatted(volumeId))
            {
                _host.FormatNtfs(volumeId);
                GroupLog.VolumeFormatted(_logger, volumeId);
            }
        }
        return new FormatVolumeResponse();
    }

    public async Task<ResizeVolumeResponse> ResizeVolumeAsync(ResizeVolumeRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var volumeId = VolumeId.Check("volume_id", request.VolumeId);
        if (request.SizeBytes < 0)
        {
            throw ProxyException.InvalidField("size_bytes", "must be 0 (the largest size) or positive");
        }
        using (await _locks.AcquireAsync(volumeId, cancellationToken).ConfigureAwait(false))
        {
            var size = _host.GetPartitionSize(volumeId);
            var wanted = request.SizeBytes == 0 ? size.MaximumBytes : Math.Min(request.SizeBytes, size.MaximumBytes);
            if (wanted < size.CurrentBytes - MinimumResizeBytes)
            {
                throw ProxyException.InvalidField("size_bytes", $"{request.SizeBytes} is smaller than the volume ({size.CurrentBytes} bytes); shrinking is not supported");
            }
            if (wanted - size.CurrentBytes < MinimumResizeBytes)
            {
                GroupLog.ResizeSkipped(_logger, volumeId, wanted, MinimumResizeBytes, size.CurrentBytes);
                return new ResizeVolumeResponse();
            }
            _host.ResizePartition(volumeId, wanted);
            GroupLog.VolumeResized(_logger, volumeId, size.CurrentBytes, wanted);
        }
        return new ResizeVolumeResponse();
    }

    public Task<GetVolumeStatsResponse> GetVolumeStatsAsync(GetVolumeStatsRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var stats = _host.GetStats(VolumeId.Check("volume_id", request.VolumeId));
        return Task.FromResult(new GetVolumeStatsResponse { TotalBytes = stats.TotalBytes, UsedBytes = stats.UsedBytes });
    }

    public Task<GetDiskNumberFromVolumeIDResponse> GetDiskNumberFromVolumeIDAsync(GetDiskNumberFromVolumeIDRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var number = _host.GetDiskNumber(VolumeId.Check("volume_id", request.VolumeId));
        return Task.FromResult(new GetDiskNumberFromVolumeIDResponse { DiskNumber = number });
    }

    public Task<GetVolumeIDFromTargetPathResponse> GetVolumeIDFromTargetPathAsync(GetVolumeIDFromTargetPathRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var target = _paths.Check("target_path", request.TargetPath);
        return Task.FromResult(new GetVolumeIDFromTargetPathResponse { VolumeId = _host.GetVolumeIdFromTargetPath(target) });
    }

    public Task<WriteVolumeCacheResponse> WriteVolumeCacheAsync(WriteVolumeCacheRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        _host.Flush(VolumeId.Check("volume_id", request.VolumeId));
        return Task.FromResult(new WriteVolumeCacheResponse());
    }

    private static bool SameVolume(string a, string b)
        => string.Equals(a.TrimEnd('\\'), b.TrimEnd('\\'), StringComparison.OrdinalIgnoreCase);

    private static string PathKey(string path) => path.ToUpperInvariant();
}
