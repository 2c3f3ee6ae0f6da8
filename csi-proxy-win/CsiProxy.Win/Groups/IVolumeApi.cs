using CsiProxy.Win.Api.VolumeV1;

namespace CsiProxy.Win.Groups;

/// <summary>The volume v1 API group, one method per RPC: served in process by <see cref="VolumeGroup"/> or over its named pipe by the client library.</summary>
public interface IVolumeApi
{
    Task<ListVolumesOnDiskResponse> ListVolumesOnDiskAsync(ListVolumesOnDiskRequest request, CancellationToken cancellationToken = default);

    Task<MountVolumeResponse> MountVolumeAsync(MountVolumeRequest request, CancellationToken cancellationToken = default);

    Task<UnmountVolumeResponse> UnmountVolumeAsync(UnmountVolumeRequest request, CancellationToken cancellationToken = default);

    Task<IsVolumeFormattedResponse> IsVolumeFormattedAsync(IsVolumeFormattedRequest request, CancellationToken cancellationToken = default);

    Task<FormatVolumeResponse> FormatVolumeAsync(FormatVolumeRequest request, CancellationToken cancellationToken = default);

    Task<ResizeVolumeResponse> ResizeVolumeAsync(ResizeVolumeRequest request, CancellationToken cancellationToken = default);

    Task<GetVolumeStatsResponse> GetVolumeStatsAsync(GetVolumeStatsRequest request, CancellationToken cancellationToken = default);

    Task<GetDiskNumberFromVolumeIDResponse> GetDiskNumberFromVolumeIDAsync(GetDiskNumberFromVolumeIDRequest request, CancellationToken cancellationToken = default);

    Task<GetVolumeIDFromTargetPathResponse> GetVolumeIDFromTargetPathAsync(GetVolumeIDFromTargetPathRequest request, CancellationToken cancellationToken = default);

    Task<WriteVolumeCacheResponse> WriteVolumeCacheAsync(WriteVolumeCacheRequest request, CancellationToken cancellationToken = default);
}
