using Csi.Kubernetes;
using SecretsStore.Driver.Diagnostics;
using SecretsStore.Driver.Kubernetes;
using SecretsStore.Driver.Publishing;

namespace SecretsStore.Driver.SecretProviderClasses;

/// <summary>
/// SecretProviderClasses from the Kubernetes API, cached only for what this node mounts (upstream caches every
/// class of the cluster on every node). A class is fetched on demand at publish; it stays cached while a
/// mounted volume on this node references it, and is fetched again when a lookup finds it older than the
/// staleness bound (so a rotation sees an edited class within that bound). Misses are never cached: a class
/// created after a failed publish is found on kubelet's next retry. Concurrent lookups of one class share a
/// request.
/// </summary>
public sealed class KubernetesSecretProviderClassSource : ISecretProviderClassSource
{
    public static readonly TimeSpan DefaultMaxStaleness = TimeSpan.FromMinutes(1);

    private readonly KubernetesApiClient _api;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly TimeSpan _maxStaleness;
    private readonly Lock _gate = new();
    private readonly Dictionary<string, Entry> _entries = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _targets = new(StringComparer.Ordinal);
    private volatile ApiResource _resource = SecretsStoreResources.SecretProviderClassesV1;

    public KubernetesSecretProviderClassSource(KubernetesApiClient api, ILogger<KubernetesSecretProviderClassSource> logger, TimeProvider time, TimeSpan? maxStaleness = null)
    {
        _api = api;
        _logger = logger;
        _time = time;
        _maxStaleness = maxStaleness ?? DefaultMaxStaleness;
    }

    /// <summary>The namespace/name keys cached now, for diagnostics and tests.</summary>
    public IReadOnlyCollection<string> CachedKeys
    {
        get
        {
            lock (_gate)
            {
                return [.. _entries.Keys.Order(StringComparer.Ordinal)];
            }
        }
    }

    public async ValueTask<SecretProviderClass?> GetAsync(string podNamespace, string name, CancellationToken cancellationToken)
    {
        var key = podNamespace + "/" + name;
        Task<SecretProviderClass?> fetch;
        lock (_gate)
        {
            var now = _time.GetUtcNow();
            PruneUnreferenced(now);
            _entries.TryGetValue(key, out var entry);
            if (entry?.Value is { } cached && now - entry.FetchedAt < _maxStaleness)
            {
                return cached;
            }
            if (entry?.InFlight is { IsCompleted: false } inFlight)
            {
                fetch = inFlight;
            }
            else
            {
                entry ??= _entries[key] = new Entry(now);
                // Not tied to one caller's cancellation: others may be waiting on the same request.
                fetch = entry.InFlight = FetchAsync(entry, key, podNamespace, name);
            }
        }
        return await fetch.WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    public string Describe(string podNamespace) => "namespace " + podNamespace;

    public void Retain(string targetPath, string podNamespace, string name)
    {
        var key = podNamespace + "/" + name;
        lock (_gate)
        {
            if (_targets.TryGetValue(targetPath, out var previous) && previous != key)
            {
                ReleaseLocked(targetPath);
            }
            _targets[targetPath] = key;
            if (!_entries.TryGetValue(key, out var entry))
            {
                entry = _entries[key] = new Entry(_time.GetUtcNow());
            }
            entry.Targets.Add(targetPath);
        }
    }

    public void Release(string targetPath)
    {
        lock (_gate)
        {
            ReleaseLocked(targetPath);
        }
    }

    private async Task<SecretProviderClass?> FetchAsync(Entry entry, string key, string podNamespace, string name)
    {
        await Task.Yield();
        try
        {
            var resource = await ReadAsync(podNamespace, name).ConfigureAwait(false);
            var spc = resource is null ? null : SecretProviderClassMapping.ToDriverModel(resource, podNamespace);
            lock (_gate)
            {
                entry.Value = spc;
                entry.FetchedAt = _time.GetUtcNow();
                entry.InFlight = null;
                if (spc is null && entry.Targets.Count == 0)
                {
                    _entries.Remove(key);
                }
            }
            DriverLog.SecretProviderClassFetched(_logger, podNamespace, name, spc is not null);
            return spc;
        }
        catch (KubernetesApiException e)
        {
            lock (_gate)
            {
                entry.InFlight = null;
                if (entry.Value is null && entry.Targets.Count == 0)
                {
                    _entries.Remove(key);
                }
            }
            throw new SecretsStoreException(
                ErrorReason.KubernetesApiError,
                $"could not read SecretProviderClass {name} in namespace {podNamespace} from the Kubernetes API: {e.Message}",
                e);
        }
    }

    private async Task<Kubernetes.Models.SecretProviderClassResource?> ReadAsync(string podNamespace, string name)
    {
        var resource = _resource;
        try
        {
            return await _api.GetAsync(resource, podNamespace, name, SecretsStoreJsonContext.Default.SecretProviderClassResource, CancellationToken.None).ConfigureAwait(false);
        }
        catch (KubernetesApiException e) when (e.IsNotFound && !e.NamesAnObject && resource == SecretsStoreResources.SecretProviderClassesV1)
        {
            // A cluster with CRDs older than v1 serves only v1alpha1, with the same schema.
            _resource = SecretsStoreResources.SecretProviderClassesV1Alpha1;
            return await _api.GetAsync(SecretsStoreResources.SecretProviderClassesV1Alpha1, podNamespace, name, SecretsStoreJsonContext.Default.SecretProviderClassResource, CancellationToken.None).ConfigureAwait(false);
        }
    }

    private void ReleaseLocked(string targetPath)
    {
        if (_targets.Remove(targetPath, out var key) && _entries.TryGetValue(key, out var entry))
        {
            entry.Targets.Remove(targetPath);
            if (entry.Targets.Count == 0 && entry.InFlight is null)
            {
                _entries.Remove(key);
            }
        }
    }

    /// <summary>Drops classes fetched for a publish that never completed (no volume references them) once they are stale.</summary>
    private void PruneUnreferenced(DateTimeOffset now)
    {
        List<string>? stale = null;
        foreach (var (key, entry) in _entries)
        {
            if (entry.Targets.Count == 0 && entry.InFlight is null && now - entry.FetchedAt >= _maxStaleness)
            {
                (stale ??= []).Add(key);
            }
        }
        foreach (var key in stale ?? [])
        {
            _entries.Remove(key);
        }
    }

    private sealed class Entry(DateTimeOffset created)
    {
        public SecretProviderClass? Value { get; set; }

        public DateTimeOffset FetchedAt { get; set; } = created;

        public Task<SecretProviderClass?>? InFlight { get; set; }

        public HashSet<string> Targets { get; } = new(StringComparer.Ordinal);
    }
}
