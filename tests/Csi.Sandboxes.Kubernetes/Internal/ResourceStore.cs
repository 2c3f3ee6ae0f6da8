using System.Text.Json.Nodes;

namespace Csi.Sandboxes.Kubernetes.Internal;

/// <summary>
/// The storage of one resource (what etcd holds under <c>/registry/&lt;resource&gt;</c>): objects sorted by key,
/// the window of recent events watches and consistent lists replay from (the watch cache), the open watches, and
/// the per-kind behaviour of the resource's registry strategy.
/// </summary>
internal sealed class ResourceStore(string group, string resource, string kind, bool namespaced, int windowSize)
{
    private readonly LinkedList<StoreEvent> _window = new();

    public string Group { get; } = group;

    public string Resource { get; } = resource;

    /// <summary>The kind in storage form.</summary>
    public string Kind { get; } = kind;

    public bool Namespaced { get; } = namespaced;

    public GroupResource GroupResource => new(Group, Resource);

    public SortedDictionary<string, StoredObject> Objects { get; } = new(StringComparer.Ordinal);

    public List<WatchSubscription> Watchers { get; } = [];

    /// <summary>The newest resourceVersion of an event dropped from the window: watches from before it get 410.</summary>
    public ulong CompactedThrough { get; private set; }

    public IEnumerable<StoreEvent> Window => _window;

    public int WindowSize { get; set; } = windowSize;

    /// <summary>Set when the resource stopped being served (its CRD was deleted).</summary>
    public bool Retired { get; set; }

    /// <summary>metadata.generation is kept (set to 1, bumped on spec changes).</summary>
    public bool TracksGeneration { get; init; }

    // ---- registry strategy

    /// <summary>DELETE answers with the object rather than a Status (<c>ReturnDeletedObject</c>).</summary>
    public bool ReturnDeletedObject { get; init; }

    /// <summary>PUT on a missing object creates it.</summary>
    public bool AllowCreateOnUpdate { get; init; }

    /// <summary>PUT without metadata.resourceVersion is allowed (false for custom resources).</summary>
    public bool AllowUnconditionalUpdate { get; init; } = true;

    public bool SupportsStrategicMerge { get; init; } = true;

    /// <summary>Names must be DNS labels (namespaces) rather than DNS subdomains.</summary>
    public bool NameIsDnsLabel { get; init; }

    /// <summary>Fills defaults (runs on create, update and seeding).</summary>
    public Action<JsonObject>? Defaulter { get; init; }

    /// <summary>Resets what a create may not set (status for most kinds with a status subresource).</summary>
    public Action<JsonObject>? PrepareForCreate { get; init; }

    /// <summary>Validation beyond metadata on create (after defaulting): object → errors.</summary>
    public Func<JsonObject, IEnumerable<FieldError>>? ValidateCreate { get; init; }

    /// <summary>Validation beyond metadata on update: (old, new) → errors.</summary>
    public Func<JsonObject, JsonObject, IEnumerable<FieldError>>? ValidateUpdate { get; init; }

    /// <summary>Quantities and times the decoder parses and writes back canonical; null when the kind has none.</summary>
    public FieldFormats? Formats { get; init; }

    /// <summary>Computes the selectable fields (storage names) of an object.</summary>
    public Func<JsonObject, IReadOnlyDictionary<string, string>> FieldExtractor { get; set; } = _ => new Dictionary<string, string>();

    public IReadOnlyDictionary<string, string> SelectableFields(JsonObject obj) => FieldExtractor(obj);

    public void Record(StoreEvent e)
    {
        _window.AddLast(e);
        Trim();
    }

    public void Trim()
    {
        while (_window.Count > Math.Max(0, WindowSize))
        {
            CompactedThrough = Math.Max(CompactedThrough, _window.First!.Value.ResourceVersion);
            _window.RemoveFirst();
        }
    }

    /// <summary>Forgets every retained event, as an etcd compaction would.</summary>
    public void Compact(ulong currentResourceVersion)
    {
        _window.Clear();
        CompactedThrough = currentResourceVersion;
    }

    /// <summary>The objects as they were at <paramref name="resourceVersion"/>, rebuilt by undoing newer events.</summary>
    public SortedDictionary<string, StoredObject> SnapshotAt(ulong resourceVersion)
    {
        var snapshot = new SortedDictionary<string, StoredObject>(Objects, StringComparer.Ordinal);
        for (var node = _window.Last; node is not null && node.Value.ResourceVersion > resourceVersion; node = node.Previous)
        {
            var e = node.Value;
            switch (e.Type)
            {
                case StoreEventType.Added:
                    snapshot.Remove(e.Object.Key);
                    break;
                default:
                    snapshot[e.Previous!.Key] = e.Previous;
                    break;
            }
        }

        return snapshot;
    }
}

internal enum StoreEventType
{
    Added,
    Modified,
    Deleted,
}

/// <summary>A committed change: the new state (for deletes, the last state at the deletion's resourceVersion) and the previous one.</summary>
internal sealed record StoreEvent(StoreEventType Type, StoredObject Object, StoredObject? Previous, ulong ResourceVersion);
