namespace Csi.ProviderHost.Credentials;

/// <summary>
/// The one credential cache of the providers: at most <c>capacity</c> entries (least recently used evicted first),
/// each usable until its own expiry minus <c>refreshBefore</c> and, when an idle timeout is set, dropped after that
/// long unused. A capacity of 0 or less caches nothing. Lookups are counted in the provider's metrics as
/// <c>provider_credential_cache_requests_total{provider,cache,result}</c> with result hit, miss or expired.
/// </summary>
public sealed class CredentialCache<T>
    where T : class
{
    private readonly Dictionary<CredentialKey, LinkedListNode<Entry>> _entries = [];
    private readonly LinkedList<Entry> _order = new();
    private readonly Lock _gate = new();
    private readonly int _capacity;
    private readonly TimeSpan _refreshBefore;
    private readonly TimeSpan? _idleTimeout;
    private readonly TimeProvider _time;
    private ProviderMetrics? _metrics;
    private string _provider = string.Empty;

    public CredentialCache(string name, int capacity, TimeSpan refreshBefore, TimeProvider time, TimeSpan? idleTimeout = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(time);
        Name = name;
        _capacity = capacity;
        _refreshBefore = refreshBefore;
        _time = time;
        _idleTimeout = idleTimeout;
    }

    /// <summary>The cache's label in metrics.</summary>
    public string Name { get; }

    public int Capacity => _capacity;

    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _entries.Count;
            }
        }
    }

    /// <summary>Counts this cache's lookups under the provider's metrics from now on.</summary>
    public void ReportTo(ProviderMetrics metrics, string provider)
    {
        ArgumentNullException.ThrowIfNull(metrics);
        _metrics = metrics;
        _provider = provider;
    }

    public bool Contains(CredentialKey key)
    {
        lock (_gate)
        {
            return _entries.TryGetValue(key, out var node) && Usable(node.Value, _time.GetUtcNow());
        }
    }

    /// <summary>The cached credential, or null when there is none or it is too close to its expiry (or idle too long) to use.</summary>
    public T? Get(CredentialKey key)
    {
        string result;
        T? value = null;
        lock (_gate)
        {
            var now = _time.GetUtcNow();
            if (!_entries.TryGetValue(key, out var node))
            {
                result = "miss";
            }
            else if (!Usable(node.Value, now))
            {
                Remove(node);
                result = "expired";
            }
            else
            {
                node.Value.LastUsed = now;
                _order.Remove(node);
                _order.AddFirst(node);
                value = node.Value.Value;
                result = "hit";
            }
        }
        _metrics?.RecordCredentialLookup(_provider, Name, result);
        return value;
    }

    /// <summary>Caches <paramref name="value"/>; <paramref name="expiresAt"/> null means it has no expiry of its own.</summary>
    public void Put(CredentialKey key, T value, DateTimeOffset? expiresAt = null)
    {
        ArgumentNullException.ThrowIfNull(value);
        if (_capacity <= 0)
        {
            return;
        }
        lock (_gate)
        {
            var now = _time.GetUtcNow();
            var entry = new Entry(key, value, expiresAt) { LastUsed = now };
            if (!Usable(entry, now))
            {
                return;
            }
            if (_entries.TryGetValue(key, out var existing))
            {
                Remove(existing);
            }
            _entries[key] = _order.AddFirst(entry);
            while (_entries.Count > _capacity)
            {
                Remove(_order.Last!);
            }
        }
    }

    /// <summary>The cached credential, or a new one from <paramref name="create"/>, cached.</summary>
    public T GetOrAdd(CredentialKey key, Func<T> create, DateTimeOffset? expiresAt = null)
    {
        ArgumentNullException.ThrowIfNull(create);
        if (Get(key) is { } cached)
        {
            return cached;
        }
        var created = create();
        Put(key, created, expiresAt);
        return created;
    }

    private bool Usable(Entry entry, DateTimeOffset now)
        => (entry.ExpiresAt is not { } expires || now < expires - _refreshBefore)
           && (_idleTimeout is not { } idle || now - entry.LastUsed < idle);

    private void Remove(LinkedListNode<Entry> node)
    {
        _order.Remove(node);
        _entries.Remove(node.Value.Key);
    }

    private sealed class Entry(CredentialKey key, T value, DateTimeOffset? expiresAt)
    {
        public CredentialKey Key { get; } = key;

        public T Value { get; } = value;

        public DateTimeOffset? ExpiresAt { get; } = expiresAt;

        public DateTimeOffset LastUsed { get; set; }
    }
}
