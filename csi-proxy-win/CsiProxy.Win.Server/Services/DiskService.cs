using CsiProxy.Win.Api.DiskV1;
using CsiProxy.Win.Groups;
using Grpc.Core;
using DiskGrpc = CsiProxy.Win.Api.DiskV1.Disk;

namespace CsiProxy.Win.Server.Services;

/// <summary>The disk group on gRPC: each RPC hands its request to <see cref="IDiskApi"/>; <see cref="ProxyInterceptor"/> maps failures.</summary>
public sealed class DiskService : DiskGrpc.DiskBase
{
    private readonly IDiskApi _group;

    public DiskService(IDiskApi group)
    {
        _group = group;
    }

    public override Task<ListDiskLocationsResponse> ListDiskLocations(ListDiskLocationsRequest request, ServerCallContext context)
        => _group.ListDiskLocationsAsync(request, context?.CancellationToken ?? default);

    public override Task<PartitionDiskResponse> PartitionDisk(PartitionDiskRequest request, ServerCallContext context)
        => _group.PartitionDiskAsync(request, context?.CancellationToken ?? default);

    public override Task<RescanResponse> Rescan(RescanRequest request, ServerCallContext context)
        => _group.RescanAsync(request, context?.CancellationToken ?? default);

    public override Task<ListDiskIDsResponse> ListDiskIDs(ListDiskIDsRequest request, ServerCallContext context)
        => _group.ListDiskIDsAsync(request, context?.CancellationToken ?? default);

    public override Task<GetDiskStatsResponse> GetDiskStats(GetDiskStatsRequest request, ServerCallContext context)
        => _group.GetDiskStatsAsync(request, context?.CancellationToken ?? default);

    public override Task<SetDiskStateResponse> SetDiskState(SetDiskStateRequest request, ServerCallContext context)
        => _group.SetDiskStateAsync(request, context?.CancellationToken ?? default);

    public override Task<GetDiskStateResponse> GetDiskState(GetDiskStateRequest request, ServerCallContext context)
        => _group.GetDiskStateAsync(request, context?.CancellationToken ?? default);
}
