using System.Collections.Concurrent;
using Amazon.Runtime;

namespace Csi.Providers.Aws.Credentials;

/// <summary>
/// Credentials for a pod in a region: IRSA through STS per region, or Pod Identity through the node's agent
/// (one set for every region), each cached until shortly before it expires. Concurrent requests for the same
/// credentials (Secrets Manager and SSM of one mount, or mounts of one pod) share one call.
/// </summary>
internal sealed class AwsCredentialProvider
{
    private readonly WebIdentityExchange _sts;
    private readonly PodIdentityAgent _agent;
    private readonly CredentialCache _cache;
    private readonly ConcurrentDictionary<string, Lazy<Task<CachedCredentials>>> _inFlight = new(StringComparer.Ordinal);

    public AwsCredentialProvider(WebIdentityExchange sts, PodIdentityAgent agent, CredentialCache cache)
    {
        _sts = sts;
        _agent = agent;
        _cache = cache;
    }

    public CredentialCache Cache => _cache;

    public async Task<ImmutableCredentials> GetAsync(AwsIdentity identity, string region, string token, string preferredAddressType, CancellationToken cancellationToken)
    {
        var key = CredentialCache.Key(identity, identity.PodIdentity ? string.Empty : region, token);
        if (_cache.Get(key) is { } cached)
        {
            return cached.Credentials;
        }
        // The shared call is not tied to one caller's cancellation; each caller stops waiting on its own.
        // The call starts only once it is in the table, so that it can always take itself out when done.
        Lazy<Task<CachedCredentials>>? mine = null;
        mine = new Lazy<Task<CachedCredentials>>(() => FetchAsync(key, mine!, identity, region, token, preferredAddressType));
        var call = _inFlight.GetOrAdd(key, mine);
        var fresh = await call.Value.WaitAsync(cancellationToken).ConfigureAwait(false);
        return fresh.Credentials;
    }

    private async Task<CachedCredentials> FetchAsync(string key, Lazy<Task<CachedCredentials>> self, AwsIdentity identity, string region, string token, string preferredAddressType)
    {
        try
        {
            // Another caller may have finished between this caller's cache check and now.
            if (_cache.Get(key) is { } cached)
            {
                return cached;
            }
            var fresh = identity.PodIdentity
                ? await _agent.GetAsync(token, preferredAddressType, CancellationToken.None).ConfigureAwait(false)
                : await _sts.AssumeRoleAsync(identity, region, token, CancellationToken.None).ConfigureAwait(false);
            _cache.Put(key, fresh);
            return fresh;
        }
        finally
        {
            _inFlight.TryRemove(KeyValuePair.Create(key, self));
        }
    }
}
