using System.Globalization;
using System.Text.Json.Nodes;

namespace Csi.Sandboxes.Kubernetes.Internal;

/// <summary>Create, update, patch and delete: the generic registry store's write paths and the commit to storage and watches.</summary>
internal sealed partial class ClusterState
{
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
}
