using CsiProxy.Win.Api.SmbV1;
using CsiProxy.Win.Groups;
using Grpc.Core;
using SmbGrpc = CsiProxy.Win.Api.SmbV1.Smb;

namespace CsiProxy.Win.Client.Pipes;

/// <summary>The smb group over its pipe; a failed call throws the same <see cref="ProxyException"/> the in-process group would.</summary>
public sealed class SmbPipeClient : ISmbApi
{
    private readonly SmbGrpc.SmbClient _client;

    public SmbPipeClient(CallInvoker invoker)
    {
        _client = new SmbGrpc.SmbClient(invoker);
    }

    public Task<NewSmbGlobalMappingResponse> NewSmbGlobalMappingAsync(NewSmbGlobalMappingRequest request, CancellationToken cancellationToken = default)
        => RpcErrors.Translate(_client.NewSmbGlobalMappingAsync(request, cancellationToken: cancellationToken).ResponseAsync);

    public Task<RemoveSmbGlobalMappingResponse> RemoveSmbGlobalMappingAsync(RemoveSmbGlobalMappingRequest request, CancellationToken cancellationToken = default)
        => RpcErrors.Translate(_client.RemoveSmbGlobalMappingAsync(request, cancellationToken: cancellationToken).ResponseAsync);
}
