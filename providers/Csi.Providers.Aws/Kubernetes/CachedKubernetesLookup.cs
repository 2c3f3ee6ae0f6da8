using System.Collections.Concurrent;

namespace Csi.Providers.Aws.Kubernetes;

/// <summary>
/// Remembers what the API answered for a short while, so a node mounting many pods of one service account (or
/// rotating every volume at once) reads each object once instead of waiting on the --qps limit for every mount.
/// Only found values are kept: a missing annotation or label is asked again, so fixing it takes effect at once.
/// A role annotation or pod placement change takes effect within <see cref="ObjectLifetime"/>; node labels,
/// which do not change in practice, are kept for <see cref="NodeLifetime"/>.
/// </summary>
internal sealed class CachedKubernetesLookup : IKubernetesLookup
{
    public static readonly TimeSpan ObjectLifetime = TimeSpan.FromSeconds(30);
    public static readonly TimeSpan NodeLifetime = TimeSpan.FromMinutes(10);
    private const int Capacity = 4096;

    private readonly IKubernetesLookup _inner;
    private readonly TimeProvider _time;
    private readonly ConcurrentDictionary<string, (string Value, DateTimeOffset Until)> _found = new(StringComparer.Ordinal);

    public CachedKubernetesLookup(IKubernetesLookup inner, TimeProvider time)
    {
        _inner = inner;
        _time = time;
    }

    public Task<string?> GetRoleArnAsync(string @namespace, string serviceAccount, CancellationToken cancellationToken) =>
        GetAsync($"sa/{@namespace}/{serviceAccount}", ObjectLifetime, ct => _inner.GetRoleArnAsync(@namespace, serviceAccount, ct), cancellationToken);

    public async Task<string> GetPodNodeAsync(string @namespace, string pod, CancellationToken cancellationToken) =>
        await GetAsync($"pod/{@namespace}/{pod}", ObjectLifetime, async ct => (string?)await _inner.GetPodNodeAsync(@namespace, pod, ct).ConfigureAwait(false), cancellationToken).ConfigureAwait(false) ?? string.Empty;

    public Task<string?> GetNodeRegionAsync(string node, CancellationToken cancellationToken) =>
        GetAsync($"node/{node}", NodeLifetime, ct => _inner.GetNodeRegionAsync(node, ct), cancellationToken);

    private async Task<string?> GetAsync(string key, TimeSpan lifetime, Func<CancellationToken, Task<string?>> read, CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow();
        if (_found.TryGetValue(key, out var hit) && hit.Until > now)
        {
            return hit.Value;
        }

        var value = await read(cancellationToken).ConfigureAwait(false);
        if (!string.IsNullOrEmpty(value))
        {
            if (_found.Count >= Capacity)
            {
                foreach (var (stale, entry) in _found)
                {
                    if (entry.Until <= now)
                    {
                        _found.TryRemove(stale, out _);
                    }
                }

                if (_found.Count >= Capacity)
                {
                    _found.Clear();
                }
            }

            _found[key] = (value, now + lifetime);
        }

        return value;
    }
}
