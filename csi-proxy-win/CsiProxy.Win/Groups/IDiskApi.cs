using CsiProxy.Win.Api.DiskV1;

namespace CsiProxy.Win.Groups;

/// <summary>The disk v1 API group, one method per RPC: served in process by <see cref="DiskGroup"/> or over its named pipe by the client library.</summary>
public interface IDiskApi
{
    Task<ListDiskLocationsResponse> ListDiskLocationsAsync(ListDiskLocationsRequest request, CancellationToken cancellationToken = default);

    Task<PartitionDiskResponse> PartitionDiskAsync(PartitionDiskRequest request, CancellationToken cancellationToken = default);

    Task<RescanResponse> RescanAsync(RescanRequest request, CancellationToken cancellationToken = default);

    Task<ListDiskIDsResponse> ListDiskIDsAsync(ListDiskIDsRequest request, CancellationToken cancellationToken = default);

    Task<GetDiskStatsResponse> GetDiskStatsAsync(GetDiskStatsRequest request, CancellationToken cancellationToken = default);

    Task<SetDiskStateResponse> SetDiskStateAsync(SetDiskStateRequest request, CancellationToken cancellationToken = default);

    Task<GetDiskStateResponse> GetDiskStateAsync(GetDiskStateRequest request, CancellationToken cancellationToken = default);
}
