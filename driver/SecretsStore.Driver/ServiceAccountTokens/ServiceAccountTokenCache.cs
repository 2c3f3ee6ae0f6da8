namespace SecretsStore.Driver.ServiceAccountTokens;

/// <summary>
/// Service-account tokens the rotation reconciler requested, kept as kubelet keeps those it passes: per pod UID,
/// service account, audience and requested lifetime, until 80% of the token's lifetime has passed or it is 24 h old,
/// whichever comes first, so never up to its expiry. Bounded: when full, the entries due for refresh soonest go
/// first. <see cref="Forget"/> drops a pod's tokens when its last volume is unpublished. Tokens stay in memory only.
/// </summary>
public sealed class ServiceAccountTokenCache
{
    /// <summary>Kubelet's ceiling on how long it uses one token, whatever its lifetime.</summary>
    public static readonly TimeSpan MaxAge = TimeSpan.FromHours(24);

    public const int DefaultCapacity = 4096;

    private readonly Dictionary<Key, Entry> _entries = [];
    private readonly TimeProvider _time;
    private readonly int _capacity;

    public ServiceAccountTokenCache(TimeProvider time, int capacity = DefaultCapacity)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        _time = time;
        _capacity = capacity;
    }

    public int Count
    {
        get
        {
            lock (_entries)
            {
                return _entries.Count;
            }
        }
    }

    /// <summary>The token cached for the key, unless it is due for refresh (or gone).</summary>
    public bool TryGet(string podUid, string serviceAccount, string audience, long? expirationSeconds, out string token, out DateTimeOffset expirationTimestamp)
    {
        var key = new Key(podUid, serviceAccount, audience, expirationSeconds);
        lock (_entries)
        {
            if (_entries.TryGetValue(key, out var entry))
            {
                if (_time.GetUtcNow() < entry.RefreshAt)
                {
                    (token, expirationTimestamp) = (entry.Token, entry.ExpirationTimestamp);
                    return true;
                }
                _entries.Remove(key);
            }
        }
        (token, expirationTimestamp) = (string.Empty, default);
        return false;
    }

    /// <summary>
    /// Keeps a token the API just issued. <paramref name="lifetime"/> is what it was issued for (the TokenRequest's
    /// expirationSeconds as answered); without it, the time left until expiry counts as the lifetime. A token that is
    /// already expired, or expires within a second, is not kept.
    /// </summary>
    public void Put(string podUid, string serviceAccount, string audience, long? expirationSeconds, string token, DateTimeOffset expirationTimestamp, TimeSpan? lifetime)
    {
        var now = _time.GetUtcNow();
        var left = expirationTimestamp - now;
        if (left < TimeSpan.FromSeconds(1))
        {
            return;
        }
        var ttl = lifetime is { } issued && issued > TimeSpan.Zero ? issued : left;
        var issuedAt = expirationTimestamp - ttl;
        var refreshAt = expirationTimestamp - (ttl * 0.2);
        if (issuedAt + MaxAge < refreshAt)
        {
            refreshAt = issuedAt + MaxAge;
        }
        if (refreshAt <= now)
        {
            return;
        }
        var key = new Key(podUid, serviceAccount, audience, expirationSeconds);
        lock (_entries)
        {
            if (!_entries.ContainsKey(key) && _entries.Count >= _capacity)
            {
                MakeRoom(now);
            }
            _entries[key] = new Entry(token, expirationTimestamp, refreshAt);
        }
    }

    /// <summary>Drops every token of the pod (its last volume on this node is gone).</summary>
    public void Forget(string podUid)
    {
        lock (_entries)
        {
            foreach (var key in _entries.Keys.Where(k => k.PodUid == podUid).ToArray())
            {
                _entries.Remove(key);
            }
        }
    }

    private void MakeRoom(DateTimeOffset now)
    {
        foreach (var key in _entries.Where(e => e.Value.RefreshAt <= now).Select(e => e.Key).ToArray())
        {
            _entries.Remove(key);
        }
        if (_entries.Count >= _capacity)
        {
            // Of live tokens, the one due for refresh soonest is the cheapest to lose.
            _entries.Remove(_entries.MinBy(e => e.Value.RefreshAt).Key);
        }
    }

    private readonly record struct Key(string PodUid, string ServiceAccount, string Audience, long? ExpirationSeconds);

    /// <summary>A class, not a record: a record's ToString would print the token.</summary>
    private sealed class Entry(string token, DateTimeOffset expirationTimestamp, DateTimeOffset refreshAt)
    {
        public string Token { get; } = token;

        public DateTimeOffset ExpirationTimestamp { get; } = expirationTimestamp;

        public DateTimeOffset RefreshAt { get; } = refreshAt;
    }
}
