using CsiProxy.Win.Api.FilesystemV1;
using CsiProxy.Win.Groups;
using Grpc.Core;
using FilesystemGrpc = CsiProxy.Win.Api.FilesystemV1.Filesystem;

namespace CsiProxy.Win.Server.Services;

/// <summary>The filesystem group on gRPC: each RPC hands its request to <see cref="IFilesystemApi"/>; <see cref="ProxyInterceptor"/> maps failures.</summary>
public sealed class FilesystemService : FilesystemGrpc.FilesystemBase
{
    private readonly IFilesystemApi _group;

    public FilesystemService(IFilesystemApi group)
    {
        _group = group;
    }

    public override Task<PathExistsResponse> PathExists(PathExistsRequest request, ServerCallContext context)
        => _group.PathExistsAsync(request, context?.CancellationToken ?? default);

    public override Task<MkdirResponse> Mkdir(MkdirRequest request, ServerCallContext context)
        => _group.MkdirAsync(request, context?.CancellationToken ?? default);

    public override Task<RmdirResponse> Rmdir(RmdirRequest request, ServerCallContext context)
        => _group.RmdirAsync(request, context?.CancellationToken ?? default);

    public override Task<CreateSymlinkResponse> CreateSymlink(CreateSymlinkRequest request, ServerCallContext context)
        => _group.CreateSymlinkAsync(request, context?.CancellationToken ?? default);

    public override Task<IsSymlinkResponse> IsSymlink(IsSymlinkRequest request, ServerCallContext context)
        => _group.IsSymlinkAsync(request, context?.CancellationToken ?? default);
}
