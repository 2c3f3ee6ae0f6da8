using System.Globalization;

namespace Csi.Sandboxes.Kubernetes.Internal;

/// <summary>
/// The API server's storage and registry logic behind one lock: a single resourceVersion counter (etcd's revision),
/// create/update/patch/delete with their strategies, lists (consistent pages, exact versions), watches, custom
/// resource definitions, and the hooks garbage collection uses. HTTP lives elsewhere; seeding calls in directly.
/// </summary>
internal sealed partial class ClusterState
{
    public const string ForegroundFinalizer = "foregroundDeletion";
    public const string OrphanFinalizer = "orphan";
    public const string DryRunAll = "All";

    private static readonly string[] InitialNamespaces = ["default", "kube-system", "kube-public", "kube-node-lease"];
    private static readonly string[] UndeletableNamespaces = ["default", "kube-system", "kube-public"];

    private readonly Lock _gate = new();
    private readonly Dictionary<string, (ResourceStore Store, string Key)> _uids = new(StringComparer.Ordinal);
    private readonly Dictionary<string, ResourceStore> _customStores = new(StringComparer.Ordinal);
    private readonly TimeProvider _time;
    private readonly ResourceStore _namespaces;
    private readonly ResourceStore _definitions;
    private int _windowSize;
    private ulong _resourceVersion;

    public ClusterState(TimeProvider time, int windowSize, bool requireNamespaces, ulong initialResourceVersion)
    {
        _time = time;
        _windowSize = windowSize;
        _resourceVersion = initialResourceVersion;
        RequireNamespaces = requireNamespaces;
        Registry = new ResourceRegistry();
        BuiltInResources.Register(Registry, windowSize);
        _namespaces = Registry.Find(string.Empty, "v1", "namespaces")!.Store;
        _definitions = Registry.Find(BuiltInResources.CrdGroup, "v1", "customresourcedefinitions")!.Store;
        foreach (var ns in InitialNamespaces)
        {
            EnsureNamespace(ns);
        }
    }

    public ResourceRegistry Registry { get; }

    public Lock Gate => _gate;

    public bool RequireNamespaces { get; }

    /// <summary>Called (under the lock) whenever a change may give the garbage collector work.</summary>
    public Action? GarbageCollectionNeeded { get; set; }

    public ulong ResourceVersion
    {
        get
        {
            lock (_gate)
            {
                return _resourceVersion;
            }
        }
    }

    public int WindowSize
    {
        get
        {
            lock (_gate)
            {
                return _windowSize;
            }
        }

        set
        {
            lock (_gate)
            {
                _windowSize = value;
                foreach (var store in AllStores())
                {
                    store.WindowSize = value;
                    store.Trim();
                }
            }
        }
    }

    public ResourceType? FindResource(string group, string version, string resource)
    {
        lock (_gate)
        {
            return Registry.Find(group, version, resource);
        }
    }

    public ResourceType? FindKind(string apiVersion, string kind)
    {
        lock (_gate)
        {
            return Registry.FindKind(apiVersion, kind);
        }
    }

    // ================================================================== reads

    public StoredObject Get(ResourceType view, string? ns, string name)
    {
        lock (_gate)
        {
            CheckServed(view);
            return view.Store.Objects.GetValueOrDefault(StoredObject.KeyOf(Scope(view, ns), name))
                ?? throw ApiException.NotFound(view.GroupResource, name);
        }
    }

    public StoredObject? TryGet(ResourceType view, string? ns, string name)
    {
        lock (_gate)
        {
            return view.Store.Objects.GetValueOrDefault(StoredObject.KeyOf(Scope(view, ns), name));
        }
    }

    public ListResult List(ResourceType view, string? ns, ListQuery query)
    {
        lock (_gate)
        {
            CheckServed(view);
            var store = view.Store;
            var fields = query.Fields.Translate(view.SelectableFields);
            ContinueToken? token = null;
            ulong snapshotVersion = _resourceVersion;
            if (!string.IsNullOrEmpty(query.Continue))
            {
                token = ContinueToken.Decode(query.Continue);
                if (token.ResourceVersion > 0)
                {
                    snapshotVersion = (ulong)token.ResourceVersion;
                    if (snapshotVersion < store.CompactedThrough)
                    {
                        throw new ApiException(410, "Expired", ContinueToken.ExpiredMessage)
                        {
                            Continue = new ContinueToken(-1, token.Start).Encode(),
                        };
                    }
                }
            }
            else if (!string.IsNullOrEmpty(query.ResourceVersion) && query.ResourceVersion != "0")
            {
                var requested = ParseResourceVersion(query.ResourceVersion);
                if (string.Equals(query.ResourceVersionMatch, "Exact", StringComparison.Ordinal))
                {
                    if (requested < store.CompactedThrough)
                    {
                        throw ApiException.Expired($"too old resource version: {requested} ({store.CompactedThrough})");
                    }

                    if (requested > _resourceVersion)
                    {
                        throw TooLarge(requested);
                    }

                    snapshotVersion = requested;
                }
                else if (requested > _resourceVersion)
                {
                    throw TooLarge(requested);
                }
            }

            var source = snapshotVersion == _resourceVersion ? store.Objects : store.SnapshotAt(snapshotVersion);
            var prefix = view.Namespaced && ns is not null ? ns + "/" : null;
            var items = new List<StoredObject>();
            string? lastKey = null;
            var more = false;
            var remaining = 0;
            var countRemaining = query.Labels.IsEmpty && fields.IsEmpty;
            foreach (var (key, obj) in source)
            {
                if (token is not null && string.CompareOrdinal(key, token.Start) <= 0)
                {
                    continue;
                }

                if (prefix is not null && !key.StartsWith(prefix, StringComparison.Ordinal))
                {
                    continue;
                }

                if (!query.Labels.Matches(obj.Labels) || !fields.Matches(obj.Fields))
                {
                    continue;
                }

                if (query.Limit is > 0 && items.Count >= query.Limit)
                {
                    more = true;
                    remaining++;
                    if (!countRemaining)
                    {
                        break;
                    }

                    continue;
                }

                items.Add(obj);
                lastKey = key;
            }

            return new ListResult(
                items,
                snapshotVersion,
                more && lastKey is not null ? new ContinueToken((long)snapshotVersion, lastKey).Encode() : null,
                more && countRemaining ? remaining : null);
        }
    }

    // ================================================================== watches

    public WatchSubscription Watch(ResourceType view, string? ns, WatchQuery query)
    {
        lock (_gate)
        {
            CheckServed(view);
            var fields = query.Fields.Translate(view.SelectableFields);
            var sub = new WatchSubscription(view, view.Namespaced ? ns : null, query.Labels, fields, query.AllowBookmarks);
            var store = view.Store;
            if (query.SendInitialEvents || string.IsNullOrEmpty(query.ResourceVersion) || query.ResourceVersion == "0")
            {
                foreach (var obj in store.Objects.Values)
                {
                    if (sub.Matches(obj))
                    {
                        sub.Enqueue(new WatchItem("ADDED", obj, obj.ResourceVersion));
                    }
                }

                if (query.SendInitialEvents && query.AllowBookmarks)
                {
                    sub.Enqueue(new WatchItem("BOOKMARK", null, _resourceVersion) { InitialEventsEnd = true });
                }
            }
            else
            {
                var from = ParseResourceVersion(query.ResourceVersion);
                if (from < store.CompactedThrough)
                {
                    sub.Fail(ApiException.Expired($"too old resource version: {from} ({store.CompactedThrough})"));
                    return sub;
                }

                foreach (var e in store.Window)
                {
                    if (e.ResourceVersion > from)
                    {
                        sub.Offer(e);
                    }
                }
            }

            store.Watchers.Add(sub);
            return sub;
        }
    }

    public void Unsubscribe(WatchSubscription sub)
    {
        lock (_gate)
        {
            sub.View.Store.Watchers.Remove(sub);
            sub.Close();
        }
    }

    public int CountWatchers(string? resource)
    {
        lock (_gate)
        {
            return AllStores().Where(s => resource is null || s.Resource == resource).Sum(s => s.Watchers.Count);
        }
    }

    /// <summary>Queues a BOOKMARK at the current resourceVersion on every watch that asked for bookmarks.</summary>
    public void SendBookmarks()
    {
        lock (_gate)
        {
            foreach (var sub in AllStores().SelectMany(s => s.Watchers).Where(w => w.AllowBookmarks))
            {
                sub.Enqueue(new WatchItem("BOOKMARK", null, _resourceVersion));
            }
        }
    }

    /// <summary>Ends every open watch; with <paramref name="expire"/>, after an ERROR event carrying 410 Expired.</summary>
    public void EndWatches(bool expire)
    {
        lock (_gate)
        {
            foreach (var store in AllStores())
            {
                foreach (var sub in store.Watchers)
                {
                    if (expire)
                    {
                        sub.Fail(ApiException.Expired($"too old resource version: {sub.LastQueued} ({_resourceVersion})"));
                    }
                    else
                    {
                        sub.Close();
                    }
                }

                store.Watchers.Clear();
            }
        }
    }

    /// <summary>Drops every retained event, as an etcd compaction at the current revision would.</summary>
    public void Compact()
    {
        lock (_gate)
        {
            foreach (var store in AllStores())
            {
                store.Compact(_resourceVersion);
            }
        }
    }

    // ================================================================== helpers

    private IEnumerable<ResourceStore> AllStores() => Registry.All.Select(t => t.Store).Distinct();

    private static void CheckServed(ResourceType view)
    {
        if (view.Store.Retired)
        {
            throw ApiException.NotFoundPath();
        }
    }

    private static string? Scope(ResourceType view, string? ns) => view.Namespaced ? ns : null;

    private static ulong ParseResourceVersion(string value) =>
        ulong.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var rv)
            ? rv
            : throw ApiException.BadRequest($"invalid resource version: \"{value}\"");

    private ApiException TooLarge(ulong requested) =>
        ApiException.Timeout($"Too large resource version: {requested}, current: {_resourceVersion}", 1);
}
