using System.Collections.Concurrent;
using Amazon.Runtime;
using Csi.ProviderHost.Credentials;

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
    private readonly CredentialCache<CachedCredentials> _cache;
    private readonly ConcurrentDictionary<CredentialKey, Lazy<Task<CachedCredentials>>> _inFlight = new();

    public AwsCredentialProvider(WebIdentityExchange sts, PodIdentityAgent agent, CredentialCache<CachedCredentials> cache)
    {
        _sts = sts;
        _agent = agent;
        _cache = cache;
    }

    /// <summary>Reused until five minutes before they expire.</summary>
    public static readonly TimeSpan RefreshBefore = TimeSpan.FromMinutes(5);

    public CredentialCache<CachedCredentials> Cache => _cache;

    /// <summary>A pod identity (namespace, service account, role or association) in a region, and the token that earned it.</summary>
    public static CredentialKey Key(AwsIdentity identity, string region, string token)
    {
        ArgumentNullException.ThrowIfNull(identity);
        return CredentialKey.For(token, identity.PodIdentity ? "pod-identity" : "irsa", identity.Namespace, identity.ServiceAccount, identity.RoleArn, region);
    }

    public async Task<ImmutableCredentials> GetAsync(AwsIdentity identity, string region, string token, string preferredAddressType, CancellationToken cancellationToken)
    {
        var key = Key(identity, identity.PodIdentity ? string.Empty : region, token);
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

    private async Task<CachedCredentials> FetchAsync(CredentialKey key, Lazy<Task<CachedCredentials>> self, AwsIdentity identity, string region, string token, string preferredAddressType)
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
            _cache.Put(key, fresh, fresh.Expiration);
            return fresh;
        }
        finally
        {
            _inFlight.TryRemove(KeyValuePair.Create(key, self));
        }
    }
}
