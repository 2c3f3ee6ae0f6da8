using CsiProxy.Win.Api.SmbV1;
using CsiProxy.Win.Hosts;
using CsiProxy.Win.Paths;
using Csi.Common.Concurrency;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace CsiProxy.Win.Groups;

/// <summary>
/// The smb v1 group. A mapping that exists, is OK and reaches the share is kept; one that is broken or stale
/// (the share's password changed, the session dropped) is removed and made again. The password never leaves
/// the call to <see cref="ISmbHost.CreateMapping"/>.
/// </summary>
public sealed class SmbGroup : ISmbApi
{
    private readonly ISmbHost _smb;
    private readonly IFileSystemHost _files;
    private readonly PathRules _paths;
    private readonly bool _requirePrivacy;
    private readonly ILogger _logger;
    private readonly KeyedLock _locks = new();

    public SmbGroup(ISmbHost smb, IFileSystemHost files, PathRules paths, bool requirePrivacy, ILogger<SmbGroup>? logger = null)
    {
        _smb = smb;
        _files = files;
        _paths = paths;
        _requirePrivacy = requirePrivacy;
        _logger = logger ?? NullLogger<SmbGroup>.Instance;
    }

    public async Task<NewSmbGlobalMappingResponse> NewSmbGlobalMappingAsync(NewSmbGlobalMappingRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var remote = SmbSharePath.Parse("remote_path", request.RemotePath);
        var local = request.LocalPath.Length == 0 ? null : _paths.Check("local_path", request.LocalPath);
        if (request.Username.Any(char.IsControl))
        {
            throw ProxyException.InvalidField("username", "contains a control character");
        }

        using (await _locks.AcquireAsync(remote.Root, cancellationToken).ConfigureAwait(false))
        {
            var state = _smb.GetMappingState(remote.Root);
            if (state != SmbMappingState.Ok || !_files.IsReachable(remote.Full))
            {
                if (state != SmbMappingState.None)
                {
                    GroupLog.SmbRemapping(_logger, remote.Root, state.ToString());
                    _smb.RemoveMapping(remote.Root);
                }
                _smb.CreateMapping(remote.Root, request.Username, request.Password, _requirePrivacy);
                GroupLog.SmbMapped(_logger, remote.Root);
            }
        }

        if (local is not null)
        {
            using (await _locks.AcquireAsync(local.ToUpperInvariant(), cancellationToken).ConfigureAwait(false))
            {
                LinkLocalPath(local, remote.Full);
            }
        }
        return new NewSmbGlobalMappingResponse();
    }

    public async Task<RemoveSmbGlobalMappingResponse> RemoveSmbGlobalMappingAsync(RemoveSmbGlobalMappingRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var remote = SmbSharePath.Parse("remote_path", request.RemotePath);
        using (await _locks.AcquireAsync(remote.Root, cancellationToken).ConfigureAwait(false))
        {
            if (_smb.GetMappingState(remote.Root) != SmbMappingState.None)
            {
                _smb.RemoveMapping(remote.Root);
                GroupLog.SmbUnmapped(_logger, remote.Root);
            }
        }
        return new RemoveSmbGlobalMappingResponse();
    }

    private void LinkLocalPath(string local, string remoteFull)
    {
        var existing = _files.GetLinkTarget(local);
        if (existing is not null)
        {
            if (!LinkTarget.Same(existing, remoteFull))
            {
                throw new ProxyException(ProxyErrorCode.FailedPrecondition, $"local_path: {local} already links to {existing}");
            }
            return;
        }
        if (_files.Exists(local))
        {
            throw new ProxyException(ProxyErrorCode.FailedPrecondition, $"local_path: {local} exists and is not a link");
        }
        // The trailing separator makes Windows resolve the link as a directory on the share.
        _files.CreateDirectoryLink(local, remoteFull + @"\");
    }
}
