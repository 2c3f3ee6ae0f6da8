using CsiProxy.Win.Api.VolumeV1;
using CsiProxy.Win.Groups;
using Grpc.Core;
using VolumeGrpc = CsiProxy.Win.Api.VolumeV1.Volume;

namespace CsiProxy.Win.Server.Services;

/// <summary>The volume group on gRPC: each RPC hands its request to <see cref="IVolumeApi"/>; <see cref="ProxyInterceptor"/> maps failures.</summary>
public sealed class VolumeService : VolumeGrpc.VolumeBase
{
    private readonly IVolumeApi _group;

    public VolumeService(IVolumeApi group)
    {
        _group = group;
    }

    public override Task<ListVolumesOnDiskResponse> ListVolumesOnDisk(ListVolumesOnDiskRequest request, ServerCallContext context)
        => _group.ListVolumesOnDiskAsync(request, context?.CancellationToken ?? default);

    public override Task<MountVolumeResponse> MountVolume(MountVolumeRequest request, ServerCallContext context)
        => _group.MountVolumeAsync(request, context?.CancellationToken ?? default);

    public override Task<UnmountVolumeResponse> UnmountVolume(UnmountVolumeRequest request, ServerCallContext context)
        => _group.UnmountVolumeAsync(request, context?.CancellationToken ?? default);

    public override Task<IsVolumeFormattedResponse> IsVolumeFormatted(IsVolumeFormattedRequest request, ServerCallContext context)
        => _group.IsVolumeFormattedAsync(request, context?.CancellationToken ?? default);

    public override Task<FormatVolumeResponse> FormatVolume(FormatVolumeRequest request, ServerCallContext context)
        => _group.FormatVolumeAsync(request, context?.CancellationToken ?? default);

    public override Task<ResizeVolumeResponse> ResizeVolume(ResizeVolumeRequest request, ServerCallContext context)
        => _group.ResizeVolumeAsync(request, context?.CancellationToken ?? default);

    public override Task<GetVolumeStatsResponse> GetVolumeStats(GetVolumeStatsRequest request, ServerCallContext context)
        => _group.GetVolumeStatsAsync(request, context?.CancellationToken ?? default);

    public override Task<GetDiskNumberFromVolumeIDResponse> GetDiskNumberFromVolumeID(GetDiskNumberFromVolumeIDRequest request, ServerCallContext context)
        => _group.GetDiskNumberFromVolumeIDAsync(request, context?.CancellationToken ?? default);

    public override Task<GetVolumeIDFromTargetPathResponse> GetVolumeIDFromTargetPath(GetVolumeIDFromTargetPathRequest request, ServerCallContext context)
        => _group.GetVolumeIDFromTargetPathAsync(request, context?.CancellationToken ?? default);

    public override Task<WriteVolumeCacheResponse> WriteVolumeCache(WriteVolumeCacheRequest request, ServerCallContext context)
        => _group.WriteVolumeCacheAsync(request, context?.CancellationToken ?? default);
}
