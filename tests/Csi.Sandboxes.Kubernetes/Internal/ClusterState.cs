using System.Globalization;
using System.Text.Json.Nodes;

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

    // ================================================================== writes

    public WriteResult Create(ResourceType view, string? ns, JsonObject body, WriteOptions options)
    {
        lock (_gate)
        {
            CheckServed(view);
            var warnings = new List<string>();
            var obj = PrepareIncoming(view, ns, body, urlName: null);
            return CreateCore(view, obj, options, warnings);
        }
    }

    public WriteResult Update(ResourceType view, string? ns, string name, string? subresource, JsonObject body, WriteOptions options)
    {
        lock (_gate)
        {
            CheckServed(view);
            var warnings = new List<string>();
            var obj = PrepareIncoming(view, ns, body, urlName: name);
            var existing = view.Store.Objects.GetValueOrDefault(StoredObject.KeyOf(Scope(view, ns), name));
            if (existing is null)
            {
                if (view.Store.AllowCreateOnUpdate && subresource is null)
                {
                    return CreateCore(view, obj, options, warnings);
                }

                throw ApiException.NotFound(view.GroupResource, name);
            }

            var requested = JsonText.GetString(obj, "metadata", "resourceVersion");
            if (string.IsNullOrEmpty(requested))
            {
                if (!view.Store.AllowUnconditionalUpdate)
                {
                    throw ApiException.Invalid(view.QualifiedKind, view.Group, view.Kind, name,
                        [FieldError.Invalid("metadata.resourceVersion", JsonValue.Create("0x0"), "must be specified for an update")]);
                }
            }
            else if (requested != existing.ResourceVersion.ToString(CultureInfo.InvariantCulture))
            {
                throw ApiException.StaleResourceVersion(view.GroupResource, name);
            }

            return UpdateCore(view, existing, obj, subresource, options, warnings);
        }
    }

    public WriteResult Patch(ResourceType view, string? ns, string name, string? subresource, PatchKind kind, ReadOnlySpan<byte> body, WriteOptions options)
    {
        var patchBody = body.ToArray();
        lock (_gate)
        {
            CheckServed(view);
            var warnings = new List<string>();
            var existing = view.Store.Objects.GetValueOrDefault(StoredObject.KeyOf(Scope(view, ns), name));
            if (kind == PatchKind.Strategic && !view.Store.SupportsStrategicMerge)
            {
                throw ApiException.UnsupportedMediaType("application/strategic-merge-patch+json",
                    ["application/json-patch+json", "application/merge-patch+json", "application/apply-patch+yaml"]);
            }

            if (existing is null)
            {
                if (kind == PatchKind.Apply && subresource is null)
                {
                    var applied = ManifestReader.ReadObject(patchBody, yaml: true);
                    return CreateCore(view, PrepareIncoming(view, ns, applied, urlName: name, patch: true), options, warnings);
                }

                throw ApiException.NotFound(view.GroupResource, name);
            }

            var current = view.RenderObject(existing);
            JsonNode? patched = kind switch
            {
                PatchKind.Json => JsonPatch.Apply(current, ParsePatch(patchBody)),
                PatchKind.Merge => MergePatch.Apply(current, ParsePatch(patchBody)),
                PatchKind.Strategic => ParsePatch(patchBody) is JsonObject smp ? StrategicMergePatch.Apply(current, smp) : throw ApiException.BadRequest("strategic merge patch must be a JSON object"),
                _ => MergePatch.Apply(current, ManifestReader.ReadObject(patchBody, yaml: true)),
            };
            if (patched is not JsonObject patchedObject)
            {
                throw ApiException.BadRequest("the patch did not produce a JSON object");
            }

            var patchedVersion = JsonText.GetString(patchedObject, "metadata", "resourceVersion");
            if (!string.IsNullOrEmpty(patchedVersion) && patchedVersion != existing.ResourceVersion.ToString(CultureInfo.InvariantCulture))
            {
                throw ApiException.StaleResourceVersion(view.GroupResource, name);
            }

            var obj = PrepareIncoming(view, ns, patchedObject, urlName: name, patch: true);
            JsonText.Metadata(obj)["resourceVersion"] = existing.ResourceVersion.ToString(CultureInfo.InvariantCulture);
            return UpdateCore(view, existing, obj, subresource, options, warnings);
        }
    }

    public WriteResult Delete(ResourceType view, string? ns, string name, DeleteOptions options)
    {
        lock (_gate)
        {
            CheckServed(view);
            var existing = view.Store.Objects.GetValueOrDefault(StoredObject.KeyOf(Scope(view, ns), name))
                ?? throw ApiException.NotFound(view.GroupResource, name);
            if (options.Uid is { } uid && uid != existing.Uid)
            {
                throw ApiException.Conflict(view.GroupResource, name, $"Precondition failed: UID in precondition: {uid}, UID in object meta: {existing.Uid}");
            }

            if (options.ResourceVersion is { } rv && rv != existing.ResourceVersion.ToString(CultureInfo.InvariantCulture))
            {
                throw ApiException.Conflict(view.GroupResource, name, $"Precondition failed: ResourceVersion in precondition: {rv}, ResourceVersion in object meta: {existing.ResourceVersion}");
            }

            if (ReferenceEquals(view.Store, _namespaces) && UndeletableNamespaces.Contains(name, StringComparer.Ordinal))
            {
                throw ApiException.Forbidden(view.GroupResource, name, "this namespace may not be deleted");
            }

            return DeleteCore(view.Store, existing, options);
        }
    }

    public List<WriteResult> DeleteCollection(ResourceType view, string? ns, ListQuery query, DeleteOptions options)
    {
        lock (_gate)
        {
            var listed = List(view, ns, query with { Limit = null, Continue = null });
            var results = new List<WriteResult>();
            foreach (var obj in listed.Items)
            {
                if (view.Store.Objects.TryGetValue(obj.Key, out var current))
                {
                    results.Add(DeleteCore(view.Store, current, options));
                }
            }

            return results;
        }
    }

    // ================================================================== seeding

    /// <summary>Creates or replaces an object given in any served version's form, bypassing admission.</summary>
    public StoredObject Seed(JsonObject external)
    {
        lock (_gate)
        {
            return SeedCore(external);
        }
    }

    public int SeedMany(IEnumerable<JsonObject> objects)
    {
        lock (_gate)
        {
            var count = 0;
            foreach (var obj in objects)
            {
                SeedCore(obj);
                count++;
            }

            return count;
        }
    }

    public IReadOnlyList<StoredObject> Snapshot(ResourceType view, string? ns)
    {
        lock (_gate)
        {
            var prefix = view.Namespaced && ns is not null ? ns + "/" : null;
            return view.Store.Objects.Where(p => prefix is null || p.Key.StartsWith(prefix, StringComparison.Ordinal)).Select(p => p.Value).ToList();
        }
    }

    private StoredObject SeedCore(JsonObject external)
    {
        var apiVersion = JsonText.GetString(external, "apiVersion") ?? throw new ArgumentException("object has no apiVersion", nameof(external));
        var kind = JsonText.GetString(external, "kind") ?? throw new ArgumentException("object has no kind", nameof(external));
        var view = Registry.FindKind(apiVersion, kind) ?? throw new ArgumentException($"the sandbox serves no {kind} in {apiVersion}", nameof(external));
        var obj = view.ToInternal((JsonObject)external.DeepClone());
        var meta = JsonText.Metadata(obj);
        string? ns = null;
        if (view.Namespaced)
        {
            ns = JsonText.GetString(meta, "namespace");
            if (string.IsNullOrEmpty(ns))
            {
                ns = "default";
            }

            meta["namespace"] = ns;
            EnsureNamespace(ns);
        }
        else
        {
            meta.Remove("namespace");
        }

        var name = JsonText.GetString(meta, "name");
        if (string.IsNullOrEmpty(name))
        {
            var generate = JsonText.GetString(meta, "generateName") ?? throw new ArgumentException("object has neither metadata.name nor metadata.generateName", nameof(external));
            do
            {
                name = generate + Names.RandomSuffix();
            }
            while (view.Store.Objects.ContainsKey(StoredObject.KeyOf(ns, name)));
            meta["name"] = name;
        }

        try
        {
            view.Store.Formats?.Canonicalize(obj);
        }
        catch (FormatException e)
        {
            throw new ArgumentException($"{kind} {name}: {e.Message}", nameof(external), e);
        }

        view.Store.Defaulter?.Invoke(obj);
        var existing = view.Store.Objects.GetValueOrDefault(StoredObject.KeyOf(ns, name));
        SetIfMissing(meta, "uid", existing?.Uid ?? Guid.NewGuid().ToString());
        SetIfMissing(meta, "creationTimestamp", JsonText.GetString(existing?.ToJsonObject(), "metadata", "creationTimestamp") ?? JsonText.Timestamp(_time.GetUtcNow()));
        if (view.Store.TracksGeneration)
        {
            SetIfMissing(meta, "generation", 1);
        }

        if (ReferenceEquals(view.Store, _definitions))
        {
            ThrowIfInvalid(view, name, CustomResources.Validate(obj));
            CustomResources.SetStatus(obj, _time.GetUtcNow());
        }

        var stored = Commit(view.Store, obj, existing);
        AfterWrite(view.Store, stored);
        return stored;
    }

    // ================================================================== core write paths

    private WriteResult CreateCore(ResourceType view, JsonObject obj, WriteOptions options, List<string> warnings)
    {
        var store = view.Store;
        var meta = JsonText.Metadata(obj);
        var ns = store.Namespaced ? JsonText.GetString(meta, "namespace") : null;
        var name = JsonText.GetString(meta, "name");
        var generateName = JsonText.GetString(meta, "generateName");
        if (string.IsNullOrEmpty(name) && !string.IsNullOrEmpty(generateName))
        {
            for (var attempt = 0; attempt < 8 && string.IsNullOrEmpty(name); attempt++)
            {
                var candidate = generateName + Names.RandomSuffix();
                if (!store.Objects.ContainsKey(StoredObject.KeyOf(ns, candidate)))
                {
                    name = candidate;
                }
            }

            if (string.IsNullOrEmpty(name))
            {
                throw new ApiException(409, "AlreadyExists", $"{view.GroupResource} \"{generateName}\" already exists, the server was not able to generate a unique name for the object");
            }

            meta["name"] = name;
        }

        ValidateMetadata(view, obj, name ?? string.Empty);
        EnsureNamespaceWritable(view, ns, name!);

        store.PrepareForCreate?.Invoke(obj);
        if (view.IsCustom && view.HasStatus)
        {
            obj.Remove("status");
        }

        ApplySchema(view, obj, name!, options, warnings);
        store.Defaulter?.Invoke(obj);
        if (store.ValidateCreate is not null)
        {
            ThrowIfInvalid(view, name!, store.ValidateCreate(obj).ToList());
        }

        meta["uid"] = Guid.NewGuid().ToString();
        meta["creationTimestamp"] = JsonText.Timestamp(_time.GetUtcNow());
        meta.Remove("resourceVersion");
        meta.Remove("deletionTimestamp");
        meta.Remove("deletionGracePeriodSeconds");
        meta.Remove("selfLink");
        if (store.TracksGeneration)
        {
            meta["generation"] = 1;
        }
        else
        {
            meta.Remove("generation");
        }

        if (ReferenceEquals(store, _definitions))
        {
            ThrowIfInvalid(view, name!, CustomResources.Validate(obj));
            CustomResources.SetStatus(obj, _time.GetUtcNow());
        }

        if (store.Objects.ContainsKey(StoredObject.KeyOf(ns, name!)))
        {
            throw ApiException.AlreadyExists(view.GroupResource, name!);
        }

        if (options.DryRun)
        {
            return new WriteResult(StoredObject.Create(store, obj), 201) { Warnings = warnings };
        }

        var stored = Commit(store, obj, null);
        AfterWrite(store, stored);
        return new WriteResult(stored, 201) { Warnings = warnings };
    }

    private WriteResult UpdateCore(ResourceType view, StoredObject existing, JsonObject incoming, string? subresource, WriteOptions options, List<string> warnings)
    {
        var store = view.Store;
        var old = existing.ToJsonObject();
        JsonObject updated;
        switch (subresource)
        {
            case null:
                updated = incoming;
                if (view.HasStatus)
                {
                    CopyField(old, updated, "status");
                }

                break;
            case "status":
                updated = (JsonObject)old.DeepClone();
                CopyField(incoming, updated, "status");
                break;
            case "finalize" when ReferenceEquals(store, _namespaces):
                updated = (JsonObject)old.DeepClone();
                JsonText.Child(updated, "spec")["finalizers"] = (incoming["spec"] as JsonObject)?["finalizers"]?.DeepClone() ?? new JsonArray();
                break;
            default:
                throw ApiException.NotFoundPath();
        }

        var oldMeta = JsonText.Metadata(old);
        var meta = JsonText.Metadata(updated);
        foreach (var field in new[] { "uid", "creationTimestamp", "deletionTimestamp", "deletionGracePeriodSeconds", "generation" })
        {
            CopyField(oldMeta, meta, field);
        }

        meta["resourceVersion"] = existing.ResourceVersion.ToString(CultureInfo.InvariantCulture);
        ValidateMetadata(view, updated, existing.Name);

        if (existing.IsDeleting)
        {
            var added = JsonText.Strings(meta["finalizers"]).Except(existing.Finalizers, StringComparer.Ordinal).ToList();
            if (added.Count > 0)
            {
                throw ApiException.Invalid(view.QualifiedKind, view.Group, view.Kind, existing.Name,
                    [FieldError.Forbidden("metadata.finalizers", $"no new finalizers can be added if the object is being deleted, found new finalizers []string{{\"{string.Join("\", \"", added)}\"}}")]);
            }
        }

        ApplySchema(view, updated, existing.Name, options, warnings);
        store.Defaulter?.Invoke(updated);
        if (store.ValidateUpdate is not null)
        {
            ThrowIfInvalid(view, existing.Name, store.ValidateUpdate(old, updated).ToList());
        }

        if (ReferenceEquals(store, _definitions))
        {
            ThrowIfInvalid(view, existing.Name, CustomResources.Validate(updated));
            CustomResources.SetStatus(updated, _time.GetUtcNow());
        }

        if (store.TracksGeneration && SpecChanged(old, updated, view.HasStatus))
        {
            var generation = meta["generation"] is JsonValue g && g.TryGetValue<long>(out var n) ? n : 0;
            meta["generation"] = generation + 1;
        }

        if (existing.IsDeleting && ReadyToRemove(store, updated))
        {
            if (options.DryRun)
            {
                return new WriteResult(existing, 200) { Warnings = warnings };
            }

            var gone = CommitDelete(store, existing);
            return new WriteResult(gone, 200) { Warnings = warnings };
        }

        if (JsonNode.DeepEquals(old, updated) || options.DryRun)
        {
            return new WriteResult(options.DryRun ? StoredObject.Create(store, updated) : existing, 200) { Warnings = warnings };
        }

        var stored = Commit(store, updated, existing);
        AfterWrite(store, stored);
        return new WriteResult(stored, 200) { Warnings = warnings };
    }

    private WriteResult DeleteCore(ResourceStore store, StoredObject existing, DeleteOptions options)
    {
        if (ReferenceEquals(store, _namespaces))
        {
            return DeleteNamespace(existing, options);
        }

        var policy = options.PropagationPolicy
            ?? (options.OrphanDependents is { } orphan ? (orphan ? "Orphan" : "Foreground") : "Background");
        var obj = existing.ToJsonObject();
        var meta = JsonText.Metadata(obj);
        var finalizers = JsonText.Strings(meta["finalizers"]);
        switch (policy)
        {
            case "Orphan":
                finalizers.Remove(ForegroundFinalizer);
                if (!finalizers.Contains(OrphanFinalizer))
                {
                    finalizers.Add(OrphanFinalizer);
                }

                break;
            case "Foreground":
                finalizers.Remove(OrphanFinalizer);
                if (!finalizers.Contains(ForegroundFinalizer))
                {
                    finalizers.Add(ForegroundFinalizer);
                }

                break;
            case "Background":
                finalizers.Remove(OrphanFinalizer);
                finalizers.Remove(ForegroundFinalizer);
                break;
            default:
                throw ApiException.BadRequest($"propagationPolicy: Unsupported value: \"{policy}\": supported values: \"Foreground\", \"Background\", \"Orphan\"");
        }

        var status = options.OrphanDependents == false ? 202 : 200;
        if (finalizers.Count > 0)
        {
            meta["finalizers"] = JsonText.ToArray(finalizers);
            if (!existing.IsDeleting)
            {
                meta["deletionTimestamp"] = JsonText.Timestamp(_time.GetUtcNow());
                meta["deletionGracePeriodSeconds"] = 0;
                if (meta["generation"] is JsonValue g && g.TryGetValue<long>(out var generation) && generation > 0)
                {
                    meta["generation"] = generation + 1;
                }
            }

            if (options.DryRun)
            {
                return new WriteResult(StoredObject.Create(store, obj), status);
            }

            var marked = JsonNode.DeepEquals(existing.ToJsonObject(), obj) ? existing : Commit(store, obj, existing);
            GarbageCollectionNeeded?.Invoke();
            return new WriteResult(marked, status);
        }

        if (options.DryRun)
        {
            return new WriteResult(existing, 200) { ReturnStatus = !store.ReturnDeletedObject };
        }

        var deleted = CommitDelete(store, existing);
        return new WriteResult(deleted, 200) { ReturnStatus = !store.ReturnDeletedObject, Deleted = true };
    }

    private WriteResult DeleteNamespace(StoredObject existing, DeleteOptions options)
    {
        if (existing.IsDeleting || options.DryRun)
        {
            return new WriteResult(existing, 200);
        }

        var obj = existing.ToJsonObject();
        JsonText.Metadata(obj)["deletionTimestamp"] = JsonText.Timestamp(_time.GetUtcNow());
        JsonText.Metadata(obj)["deletionGracePeriodSeconds"] = 0;
        JsonText.Child(obj, "status")["phase"] = "Terminating";
        var stored = Commit(_namespaces, obj, existing);
        GarbageCollectionNeeded?.Invoke();
        return new WriteResult(stored, 200);
    }

    private StoredObject Commit(ResourceStore store, JsonObject obj, StoredObject? previous)
    {
        var rv = ++_resourceVersion;
        JsonText.Metadata(obj)["resourceVersion"] = rv.ToString(CultureInfo.InvariantCulture);
        var stored = StoredObject.Create(store, obj);
        store.Objects[stored.Key] = stored;
        if (previous is not null && previous.Uid != stored.Uid)
        {
            _uids.Remove(previous.Uid);
        }

        _uids[stored.Uid] = (store, stored.Key);
        Publish(store, new StoreEvent(previous is null ? StoreEventType.Added : StoreEventType.Modified, stored, previous, rv));
        if (stored.Owners.Count > 0 || stored.IsDeleting || previous?.Owners.Count > 0 || EmulateVolumeControllers)
        {
            GarbageCollectionNeeded?.Invoke();
        }

        return stored;
    }

    private StoredObject CommitDelete(ResourceStore store, StoredObject existing)
    {
        var rv = ++_resourceVersion;
        store.Objects.Remove(existing.Key);
        _uids.Remove(existing.Uid);
        var tombstone = existing.WithResourceVersion(store, rv);
        Publish(store, new StoreEvent(StoreEventType.Deleted, tombstone, existing, rv));
        if (ReferenceEquals(store, _definitions))
        {
            RetireDefinition(existing.Name);
        }

        GarbageCollectionNeeded?.Invoke();
        return tombstone;
    }

    private static void Publish(ResourceStore store, StoreEvent e)
    {
        store.Record(e);
        foreach (var sub in store.Watchers)
        {
            sub.Offer(e);
        }
    }

    private void AfterWrite(ResourceStore store, StoredObject stored)
    {
        if (ReferenceEquals(store, _definitions))
        {
            ServeDefinition(stored.ToJsonObject());
        }
    }

    // ================================================================== custom resource definitions

    private void ServeDefinition(JsonObject crd)
    {
        var name = JsonText.GetString(crd, "metadata", "name")!;
        var existing = _customStores.GetValueOrDefault(name);
        var (store, views) = CustomResources.Build(crd, existing, _windowSize);
        if (existing is not null && !ReferenceEquals(existing, store))
        {
            RemoveAllObjects(existing);
        }

        _customStores[name] = store;
        Registry.RemoveWhere(t => ReferenceEquals(t.Store, existing) || ReferenceEquals(t.Store, store));
        foreach (var view in views)
        {
            Registry.Add(view);
        }

        var versions = ((crd["spec"] as JsonObject)?["versions"] as JsonArray)?.OfType<JsonObject>().ToList() ?? [];
        var storage = versions.Where(v => v["storage"]?.GetValue<bool>() == true).Select(v => JsonText.GetString(v, "name")).OfType<string>();
        Registry.OrderVersions(store.Group, storage.Concat(versions.Select(v => JsonText.GetString(v, "name")).OfType<string>()));
    }

    private void RetireDefinition(string name)
    {
        if (_customStores.Remove(name, out var store))
        {
            RemoveAllObjects(store);
            foreach (var sub in store.Watchers)
            {
                sub.Close();
            }

            store.Watchers.Clear();
            store.Retired = true;
            Registry.RemoveWhere(t => ReferenceEquals(t.Store, store));
        }
    }

    private void RemoveAllObjects(ResourceStore store)
    {
        foreach (var obj in store.Objects.Values.ToList())
        {
            CommitDelete(store, obj);
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

    private static JsonObject PrepareIncoming(ResourceType view, string? ns, JsonObject body, string? urlName, bool patch = false)
    {
        var apiVersion = JsonText.GetString(body, "apiVersion");
        if (!string.IsNullOrEmpty(apiVersion) && apiVersion != view.ApiVersion)
        {
            throw ApiException.BadRequest($"the API version in the data ({apiVersion}) does not match the expected API version ({view.ApiVersion})");
        }

        var kind = JsonText.GetString(body, "kind");
        if (!string.IsNullOrEmpty(kind) && kind != view.Kind)
        {
            throw ApiException.BadRequest($"the kind in the data ({kind}) does not match the expected kind ({view.Kind})");
        }

        var obj = view.ToInternal((JsonObject)body.DeepClone());
        Decode(view, obj, patch ? body : null);
        var meta = JsonText.Metadata(obj);
        foreach (var map in new[] { "labels", "annotations" })
        {
            if (meta[map] is JsonObject entries && entries.Any(e => e.Value is not JsonValue v || !v.TryGetValue<string>(out _)))
            {
                throw ApiException.BadRequest($"json: cannot unmarshal non-string into Go struct field ObjectMeta.metadata.{map} of type string");
            }
        }

        if (view.Namespaced)
        {
            var bodyNamespace = JsonText.GetString(meta, "namespace");
            if (!string.IsNullOrEmpty(bodyNamespace) && ns is not null && bodyNamespace != ns)
            {
                throw ApiException.BadRequest("the namespace of the provided object does not match the namespace sent on the request");
            }

            meta["namespace"] = ns ?? bodyNamespace;
        }
        else
        {
            meta.Remove("namespace");
        }

        if (urlName is not null)
        {
            var bodyName = JsonText.GetString(meta, "name") ?? string.Empty;
            if (bodyName != urlName)
            {
                throw ApiException.BadRequest($"the name of the object ({bodyName}) does not match the name on the URL ({urlName})");
            }
        }

        return obj;
    }

    /// <summary>
    /// Parses quantities and times as the decoder does and writes them back canonical. A body that does not decode is
    /// a 400 (<c>transformDecodeError</c>); a patch result that does not decode is a 422 on the field <c>patch</c>.
    /// </summary>
    private static void Decode(ResourceType view, JsonObject obj, JsonObject? patched)
    {
        try
        {
            view.Store.Formats?.Canonicalize(obj);
        }
        catch (FormatException e) when (patched is null)
        {
            throw ApiException.BadRequest($"{view.Kind} in version \"{view.Version}\" cannot be handled as a {view.Kind}: {e.Message}");
        }
        catch (FormatException e)
        {
            throw ApiException.Invalid(string.Empty, string.Empty, string.Empty, string.Empty,
                [FieldError.Invalid("patch", JsonValue.Create(patched!.ToJsonString(JsonText.Options)), e.Message)]);
        }
    }

    private static void ValidateMetadata(ResourceType view, JsonObject obj, string name)
    {
        var errors = new List<FieldError>();
        var meta = JsonText.Metadata(obj);
        if (string.IsNullOrEmpty(name))
        {
            errors.Add(FieldError.Required("metadata.name", "name or generateName is required"));
        }
        else if (view.Store.NameIsDnsLabel ? !Names.IsDnsLabel(name) : !Names.IsDnsSubdomain(name))
        {
            errors.Add(FieldError.Invalid("metadata.name", JsonValue.Create(name), view.Store.NameIsDnsLabel ? Names.DnsLabelMessage : Names.DnsSubdomainMessage));
        }

        if (meta["labels"] is JsonObject labels)
        {
            foreach (var (key, value) in labels)
            {
                var text = JsonText.Scalar(value);
                if (!Names.IsQualifiedName(key))
                {
                    errors.Add(FieldError.Invalid("metadata.labels", JsonValue.Create(key), "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')"));
                }

                if (value is not JsonValue || !Names.IsLabelValue(text))
                {
                    errors.Add(FieldError.Invalid("metadata.labels", value?.DeepClone(), "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')"));
                }
            }
        }

        if (meta["annotations"] is JsonObject annotations)
        {
            foreach (var (key, _) in annotations)
            {
                if (!Names.IsQualifiedName(key))
                {
                    errors.Add(FieldError.Invalid("metadata.annotations", JsonValue.Create(key), "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character"));
                }
            }
        }

        if (meta["ownerReferences"] is JsonArray owners)
        {
            foreach (var owner in owners.OfType<JsonObject>())
            {
                foreach (var field in new[] { "apiVersion", "kind", "name", "uid" })
                {
                    if (string.IsNullOrEmpty(JsonText.GetString(owner, field)))
                    {
                        errors.Add(FieldError.Invalid($"metadata.ownerReferences.{field}", JsonValue.Create(string.Empty), $"{field} must not be empty"));
                    }
                }
            }

            if (owners.OfType<JsonObject>().Count(o => o["controller"]?.GetValue<bool>() == true) > 1)
            {
                errors.Add(FieldError.Invalid("metadata.ownerReferences", null, "Only one reference can have Controller set to true"));
            }
        }

        ThrowIfInvalid(view, name, errors);
    }

    private static void ThrowIfInvalid(ResourceType view, string name, List<FieldError> errors)
    {
        if (errors.Count > 0)
        {
            throw ApiException.Invalid(view.QualifiedKind, view.Group, view.Kind, name, errors);
        }
    }

    private static void ApplySchema(ResourceType view, JsonObject obj, string name, WriteOptions options, List<string> warnings)
    {
        if (view.Schema is null)
        {
            return;
        }

        var pruned = view.Schema.PruneAndDefault(obj);
        if (pruned.Count > 0)
        {
            switch (options.FieldValidation)
            {
                case "Strict":
                    throw ApiException.BadRequest("strict decoding error: " + string.Join(", ", pruned.Select(p => $"unknown field \"{p}\"")));
                case "Ignore":
                    break;
                default:
                    warnings.AddRange(pruned.Select(p => $"unknown field \"{p}\""));
                    break;
            }
        }

        ThrowIfInvalid(view, name, view.Schema.Validate(obj));
    }

    private void EnsureNamespaceWritable(ResourceType view, string? ns, string name)
    {
        if (!view.Namespaced)
        {
            return;
        }

        if (string.IsNullOrEmpty(ns))
        {
            throw ApiException.BadRequest("the server could not find the requested resource: a namespace is required");
        }

        if (!RequireNamespaces)
        {
            return;
        }

        var nsObject = _namespaces.Objects.GetValueOrDefault(ns) ?? throw ApiException.NotFound(_namespaces.GroupResource, ns);
        if (nsObject.IsDeleting)
        {
            throw ApiException.Forbidden(view.GroupResource, name, $"unable to create new content in namespace {ns} because it is being terminated");
        }
    }

    private void EnsureNamespace(string ns)
    {
        if (_namespaces.Objects.ContainsKey(ns))
        {
            return;
        }

        var obj = new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "Namespace",
            ["metadata"] = new JsonObject
            {
                ["name"] = ns,
                ["uid"] = Guid.NewGuid().ToString(),
                ["creationTimestamp"] = JsonText.Timestamp(_time.GetUtcNow()),
            },
            ["status"] = new JsonObject { ["phase"] = "Active" },
        };
        _namespaces.Defaulter?.Invoke(obj);
        Commit(_namespaces, obj, null);
    }

    private bool ReadyToRemove(ResourceStore store, JsonObject obj)
    {
        if (JsonText.Strings(JsonText.Metadata(obj)["finalizers"]).Count > 0)
        {
            return false;
        }

        return !ReferenceEquals(store, _namespaces) || JsonText.Strings((obj["spec"] as JsonObject)?["finalizers"]).Count == 0;
    }

    private static bool SpecChanged(JsonObject old, JsonObject updated, bool hasStatus)
    {
        var a = (JsonObject)old.DeepClone();
        var b = (JsonObject)updated.DeepClone();
        foreach (var o in new[] { a, b })
        {
            o.Remove("metadata");
            if (hasStatus)
            {
                o.Remove("status");
            }
        }

        return !JsonNode.DeepEquals(a, b);
    }

    private static void CopyField(JsonObject from, JsonObject to, string field)
    {
        if (from[field] is { } value)
        {
            to[field] = value.DeepClone();
        }
        else
        {
            to.Remove(field);
        }
    }

    private static void SetIfMissing(JsonObject obj, string name, JsonNode? value)
    {
        if (obj[name] is null || (obj[name] is JsonValue v && v.TryGetValue<string>(out var s) && s.Length == 0))
        {
            obj[name] = value;
        }
    }

    private static JsonNode? ParsePatch(byte[] body)
    {
        try
        {
            return JsonNode.Parse(body);
        }
        catch (System.Text.Json.JsonException e)
        {
            throw ApiException.BadRequest("error decoding patch: " + e.Message);
        }
    }

    private static ulong ParseResourceVersion(string value) =>
        ulong.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var rv)
            ? rv
            : throw ApiException.BadRequest($"invalid resource version: \"{value}\"");

    private ApiException TooLarge(ulong requested) =>
        ApiException.Timeout($"Too large resource version: {requested}, current: {_resourceVersion}", 1);
}
