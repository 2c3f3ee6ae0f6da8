using CsiProxy.Win.Api.FilesystemV1;
using CsiProxy.Win.Hosts;
using CsiProxy.Win.Paths;
using Csi.Common.Concurrency;

namespace CsiProxy.Win.Groups;

/// <summary>The filesystem v1 group: every path must pass <see cref="PathRules"/>; Mkdir, Rmdir and CreateSymlink are idempotent.</summary>
public sealed class FilesystemGroup : IFilesystemApi
{
    private readonly IFileSystemHost _host;
    private readonly PathRules _paths;
    private readonly KeyedLock _locks = new();

    public FilesystemGroup(IFileSystemHost host, PathRules paths)
    {
        _host = host;
        _paths = paths;
    }

    public Task<PathExistsResponse> PathExistsAsync(PathExistsRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        return Task.FromResult(new PathExistsResponse { Exists = _host.Exists(_paths.Check("path", request.Path)) });
    }

    public Task<MkdirResponse> MkdirAsync(MkdirRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        _host.CreateDirectory(_paths.Check("path", request.Path));
        return Task.FromResult(new MkdirResponse());
    }

    public async Task<RmdirResponse> RmdirAsync(RmdirRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var path = _paths.Check("path", request.Path);
        using (await _locks.AcquireAsync(path.ToUpperInvariant(), cancellationToken).ConfigureAwait(false))
        {
            if (_host.Exists(path))
            {
                _host.Remove(path, request.Force);
            }
        }
        return new RmdirResponse();
    }

    public async Task<CreateSymlinkResponse> CreateSymlinkAsync(CreateSymlinkRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var source = _paths.Check("source_path", request.SourcePath);
        var link = _paths.Check("target_path", request.TargetPath);
        using (await _locks.AcquireAsync(link.ToUpperInvariant(), cancellationToken).ConfigureAwait(false))
        {
            var existing = _host.GetLinkTarget(link);
            if (existing is not null)
            {
                return LinkTarget.Same(existing, source)
                    ? new CreateSymlinkResponse()
                    : throw new ProxyException(ProxyErrorCode.FailedPrecondition, $"target_path: {link} already links to {existing}");
            }
            if (_host.Exists(link))
            {
                throw new ProxyException(ProxyErrorCode.FailedPrecondition, $"target_path: {link} exists and is not a link");
            }
            _host.CreateDirectoryLink(link, source);
        }
        return new CreateSymlinkResponse();
    }

    public Task<IsSymlinkResponse> IsSymlinkAsync(IsSymlinkRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        return Task.FromResult(new IsSymlinkResponse { IsSymlink = _host.IsLinkWithLiveTarget(_paths.Check("path", request.Path)) });
    }
}
