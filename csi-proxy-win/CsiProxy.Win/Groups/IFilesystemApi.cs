using CsiProxy.Win.Api.FilesystemV1;

namespace CsiProxy.Win.Groups;

/// <summary>The filesystem v1 API group, one method per RPC: served in process by <see cref="FilesystemGroup"/> or over its named pipe by the client library.</summary>
public interface IFilesystemApi
{
    Task<PathExistsResponse> PathExistsAsync(PathExistsRequest request, CancellationToken cancellationToken = default);

    Task<MkdirResponse> MkdirAsync(MkdirRequest request, CancellationToken cancellationToken = default);

    Task<RmdirResponse> RmdirAsync(RmdirRequest request, CancellationToken cancellationToken = default);

    Task<CreateSymlinkResponse> CreateSymlinkAsync(CreateSymlinkRequest request, CancellationToken cancellationToken = default);

    Task<IsSymlinkResponse> IsSymlinkAsync(IsSymlinkRequest request, CancellationToken cancellationToken = default);
}
