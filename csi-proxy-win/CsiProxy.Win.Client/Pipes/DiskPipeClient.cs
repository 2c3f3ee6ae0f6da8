using CsiProxy.Win.Api.DiskV1;
using CsiProxy.Win.Groups;
using Grpc.Core;
using DiskGrpc = CsiProxy.Win.Api.DiskV1.Disk;

namespace CsiProxy.Win.Client.Pipes;

/// <summary>The disk group over its pipe; a failed call throws the same <see cref="ProxyException"/> the in-process group would.</summary>
public sealed class DiskPipeClient : IDiskApi
{
    private readonly DiskGrpc.DiskClient _client;

    public DiskPipeClient(CallInvoker invoker)
    {
        _client = new DiskGrpc.DiskClient(invoker);
    }

    public Task<ListDiskLocationsResponse> ListDiskLocationsAsync(ListDiskLocationsRequest request, CancellationToken cancellationToken = default)
        => RpcErrors.Translate(_client.ListDiskLocationsAsync(request, cancellationToken: cancellationToken).ResponseAsync);

    public Task<PartitionDiskResponse> PartitionDiskAsync(PartitionDiskRequest request, CancellationToken cancellationToken = default)
        => RpcErrors.Translate(_client.PartitionDiskAsync(request, cancellationToken: cancellationToken).ResponseAsync);

    public Task<RescanResponse> RescanAsync(RescanRequest request, CancellationToken cancellationToken = default)
        => RpcErrors.Translate(_client.RescanAsync(request, cancellationToken: cancellationToken).ResponseAsync);

    public Task<ListDiskIDsResponse> ListDiskIDsAsync(ListDiskIDsRequest request, CancellationToken cancellationToken = default)
        => RpcErrors.Translate(_client.ListDiskIDsAsync(request, cancellationToken: cancellationToken).ResponseAsync);

    public Task<GetDiskStatsResponse> GetDiskStatsAsync(GetDiskStatsRequest request, CancellationToken cancellationToken = default)
        => RpcErrors.Translate(_client.GetDiskStatsAsync(request, cancellationToken: cancellationToken).ResponseAsync);

    public Task<SetDiskStateResponse> SetDiskStateAsync(SetDiskStateRequest request, CancellationToken cancellationToken = default)
        => RpcErrors.Translate(_client.SetDiskStateAsync(request, cancellationToken: cancellationToken).ResponseAsync);

    public Task<GetDiskStateResponse> GetDiskStateAsync(GetDiskStateRequest request, CancellationToken cancellationToken = default)
        => RpcErrors.Translate(_client.GetDiskStateAsync(request, cancellationToken: cancellationToken).ResponseAsync);
}
