using CsiProxy.Win.Api.FilesystemV1;
using CsiProxy.Win.Groups;
using Grpc.Core;
using FilesystemGrpc = CsiProxy.Win.Api.FilesystemV1.Filesystem;

namespace CsiProxy.Win.Client.Pipes;

/// <summary>The filesystem group over its pipe; a failed call throws the same <see cref="ProxyException"/> the in-process group would.</summary>
public sealed class FilesystemPipeClient : IFilesystemApi
{
    private readonly FilesystemGrpc.FilesystemClient _client;

    public FilesystemPipeClient(CallInvoker invoker)
    {
        _client = new FilesystemGrpc.FilesystemClient(invoker);
    }

    public Task<PathExistsResponse> PathExistsAsync(PathExistsRequest request, CancellationToken cancellationToken = default)
        => RpcErrors.Translate(_client.PathExistsAsync(request, cancellationToken: cancellationToken).ResponseAsync);

    public Task<MkdirResponse> MkdirAsync(MkdirRequest request, CancellationToken cancellationToken = default)
        => RpcErrors.Translate(_client.MkdirAsync(request, cancellationToken: cancellationToken).ResponseAsync);

    public Task<RmdirResponse> RmdirAsync(RmdirRequest request, CancellationToken cancellationToken = default)
        => RpcErrors.Translate(_client.RmdirAsync(request, cancellationToken: cancellationToken).ResponseAsync);

    public Task<CreateSymlinkResponse> CreateSymlinkAsync(CreateSymlinkRequest request, CancellationToken cancellationToken = default)
        => RpcErrors.Translate(_client.CreateSymlinkAsync(request, cancellationToken: cancellationToken).ResponseAsync);

    public Task<IsSymlinkResponse> IsSymlinkAsync(IsSymlinkRequest request, CancellationToken cancellationToken = default)
        => RpcErrors.Translate(_client.IsSymlinkAsync(request, cancellationToken: cancellationToken).ResponseAsync);
}
