using CsiProxy.Win.Api.VolumeV1;
using CsiProxy.Win.Groups;
using Grpc.Core;
using VolumeGrpc = CsiProxy.Win.Api.VolumeV1.Volume;

namespace CsiProxy.Win.Client.Pipes;

/// <summary>The volume group over its pipe; a failed call throws the same <see cref="ProxyException"/> the in-process group would.</summary>
public sealed class VolumePipeClient : IVolumeApi
{
    private readonly VolumeGrpc.VolumeClient _client;

    public VolumePipeClient(CallInvoker invoker)
    {
        _client = new VolumeGrpc.VolumeClient(invoker);
    }

    public Task<ListVolumesOnDiskResponse> ListVolumesOnDiskAsync(ListVolumesOnDiskRequest request, CancellationToken cancellationToken = default)
        => RpcErrors.Translate(_client.ListVolumesOnDiskAsync(request, cancellationToken: cancellationToken).ResponseAsync);

    public Task<MountVolumeResponse> MountVolumeAsync(MountVolumeRequest request, CancellationToken cancellationToken = default)
        => RpcErrors.Translate(_client.MountVolumeAsync(request, cancellationToken: cancellationToken).ResponseAsync);

    public Task<UnmountVolumeResponse> UnmountVolumeAsync(UnmountVolumeRequest request, CancellationToken cancellationToken = default)
        => RpcErrors.Translate(_client.UnmountVolumeAsync(request, cancellationToken: cancellationToken).ResponseAsync);

    public Task<IsVolumeFormattedResponse> IsVolumeFormattedAsync(IsVolumeFormattedRequest request, CancellationToken cancellationToken = default)
        => RpcErrors.Translate(_client.IsVolumeFormattedAsync(request, cancellationToken: cancellationToken).ResponseAsync);

    public Task<FormatVolumeResponse> FormatVolumeAsync(FormatVolumeRequest request, CancellationToken cancellationToken = default)
        => RpcErrors.Translate(_client.FormatVolumeAsync(request, cancellationToken: cancellationToken).ResponseAsync);

    public Task<ResizeVolumeResponse> ResizeVolumeAsync(ResizeVolumeRequest request, CancellationToken cancellationToken = default)
        => RpcErrors.Translate(_client.ResizeVolumeAsync(request, cancellationToken: cancellationToken).ResponseAsync);

    public Task<GetVolumeStatsResponse> GetVolumeStatsAsync(GetVolumeStatsRequest request, CancellationToken cancellationToken = default)
        => RpcErrors.Translate(_client.GetVolumeStatsAsync(request, cancellationToken: cancellationToken).ResponseAsync);

    public Task<GetDiskNumberFromVolumeIDResponse> GetDiskNumberFromVolumeIDAsync(GetDiskNumberFromVolumeIDRequest request, CancellationToken cancellationToken = default)
        => RpcErrors.Translate(_client.GetDiskNumberFromVolumeIDAsync(request, cancellationToken: cancellationToken).ResponseAsync);

    public Task<GetVolumeIDFromTargetPathResponse> GetVolumeIDFromTargetPathAsync(GetVolumeIDFromTargetPathRequest request, CancellationToken cancellationToken = default)
        => RpcErrors.Translate(_client.GetVolumeIDFromTargetPathAsync(request, cancellationToken: cancellationToken).ResponseAsync);

    public Task<WriteVolumeCacheResponse> WriteVolumeCacheAsync(WriteVolumeCacheRequest request, CancellationToken cancellationToken = default)
        => RpcErrors.Translate(_client.WriteVolumeCacheAsync(request, cancellationToken: cancellationToken).ResponseAsync);
}
