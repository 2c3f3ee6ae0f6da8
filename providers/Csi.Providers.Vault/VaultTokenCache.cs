namespace Csi.Providers.Vault;

/// <summary>
/// Token sessions by configuration (about one per pod), least recently used evicted beyond -cache-size, as
/// upstream's client cache. A size of 0 or less caches nothing: every mount logs in.
/// </summary>
internal sealed class VaultTokenCache
{
    private readonly int _capacity;
    private readonly TimeProvider _time;
    private readonly Lock _gate = new();
    private readonly Dictionary<string, LinkedListNode<(string Key, VaultTokenSession Session)>> _entries = new(StringComparer.Ordinal);
    private readonly LinkedList<(string Key, VaultTokenSession Session)> _order = new();

    public VaultTokenCache(int capacity, TimeProvider time)
    {
        _capacity = capacity;
        _time = time;
    }

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

    public bool Contains(string key)
    {
        lock (_gate)
        {
            return _entries.ContainsKey(key);
        }
    }

    public VaultTokenSession Get(string key)
    {
        if (_capacity <= 0)
        {
            return new VaultTokenSession(_time);
        }
        lock (_gate)
        {
            if (_entries.TryGetValue(key, out var node))
            {
                _order.Remove(node);
                _order.AddFirst(node);
                return node.Value.Session;
            }
            var session = new VaultTokenSession(_time);
            _entries[key] = _order.AddFirst((key, session));
            while (_entries.Count > _capacity)
            {
                var oldest = _order.Last!;
                _order.RemoveLast();
                _entries.Remove(oldest.Value.Key);
            }
            return session;
        }
    }
}
