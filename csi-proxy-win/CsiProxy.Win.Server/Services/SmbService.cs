using CsiProxy.Win.Api.SmbV1;
using CsiProxy.Win.Groups;
using Grpc.Core;
using SmbGrpc = CsiProxy.Win.Api.SmbV1.Smb;

namespace CsiProxy.Win.Server.Services;

/// <summary>The smb group on gRPC: each RPC hands its request to <see cref="ISmbApi"/>; <see cref="ProxyInterceptor"/> maps failures.</summary>
public sealed class SmbService : SmbGrpc.SmbBase
{
    private readonly ISmbApi _group;

    public SmbService(ISmbApi group)
    {
        _group = group;
    }

    public override Task<NewSmbGlobalMappingResponse> NewSmbGlobalMapping(NewSmbGlobalMappingRequest request, ServerCallContext context)
        => _group.NewSmbGlobalMappingAsync(request, context?.CancellationToken ?? default);

    public override Task<RemoveSmbGlobalMappingResponse> RemoveSmbGlobalMapping(RemoveSmbGlobalMappingRequest request, ServerCallContext context)
        => _group.RemoveSmbGlobalMappingAsync(request, context?.CancellationToken ?? default);
}
