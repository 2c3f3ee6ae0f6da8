using CsiProxy.Win.Api.SmbV1;

namespace CsiProxy.Win.Groups;

/// <summary>The smb v1 API group, one method per RPC: served in process by <see cref="SmbGroup"/> or over its named pipe by the client library.</summary>
public interface ISmbApi
{
    Task<NewSmbGlobalMappingResponse> NewSmbGlobalMappingAsync(NewSmbGlobalMappingRequest request, CancellationToken cancellationToken = default);

    Task<RemoveSmbGlobalMappingResponse> RemoveSmbGlobalMappingAsync(RemoveSmbGlobalMappingRequest request, CancellationToken cancellationToken = default);
}
