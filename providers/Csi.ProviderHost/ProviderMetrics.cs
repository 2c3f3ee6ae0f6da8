using Csi.Common.Metrics;

namespace Csi.ProviderHost;

/// <summary>Request counts and durations per provider, per object type and per result.</summary>
public sealed class ProviderMetrics
{
    private static readonly double[] Buckets = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

    private readonly Counter _mounts;
    private readonly Histogram _mountDuration;
    private readonly Counter _fetches;
    private readonly Histogram _fetchDuration;
    private readonly Counter _credentialLookups;

    public ProviderMetrics(MetricsRegistry registry)
    {
        ArgumentNullException.ThrowIfNull(registry);
        Registry = registry;
        _mounts = registry.Counter("provider_mount_requests_total", "Mount calls, by result (success or the error code).", "provider", "result");
        _mountDuration = registry.Histogram("provider_mount_duration_seconds", "Time spent in Mount.", Buckets, "provider");
        _fetches = registry.Counter("provider_object_fetch_total", "Requests to the secret store, by object type and result.", "provider", "object_type", "result");
        _fetchDuration = registry.Histogram("provider_object_fetch_duration_seconds", "Time of one request to the secret store.", Buckets, "provider", "object_type");
        _credentialLookups = registry.Counter("provider_credential_cache_requests_total", "Credential cache lookups, by cache and result (hit, miss, expired).", "provider", "cache", "result");
    }

    public MetricsRegistry Registry { get; }

    public void RecordMount(string provider, string result, TimeSpan duration)
    {
        _mounts.Inc(provider, result);
        _mountDuration.Observe(duration.TotalSeconds, provider);
    }

    public void RecordFetch(string provider, string objectType, string result, TimeSpan duration)
    {
        _fetches.Inc(provider, objectType, result);
        _fetchDuration.Observe(duration.TotalSeconds, provider, objectType);
    }

    public void RecordCredentialLookup(string provider, string cache, string result) => _credentialLookups.Inc(provider, cache, result);

    public long CredentialLookupCount(string provider, string cache, string result) => _credentialLookups.Value(provider, cache, result);

    public long MountCount(string provider, string result) => _mounts.Value(provider, result);
}
