using System.Text.Json.Nodes;

namespace Csi.Sandboxes.Kubernetes.Internal;

/// <summary>The garbage collector's and the namespace controller's decisions, one pass at a time.</summary>
internal sealed partial class ClusterState
{
    private enum OwnerState
    {
        Alive,
        Absent,
        WaitingForDependents,
        Orphaning,
        Unverifiable,
    }

    /// <summary>
    /// One pass: deletes dependents whose owners are all gone (or deleting in the foreground), strips references to
    /// absent or orphaning owners, releases foreground/orphan finalizers once dependents are handled, and empties then
    /// removes terminating namespaces. True when something changed (run again until false).
    /// </summary>
    public bool CollectGarbage()
    {
        lock (_gate)
        {
            var changed = false;
            var stores = AllStores().ToList();

            // Dependents.
            foreach (var store in stores)
            {
                foreach (var obj in store.Objects.Values.Where(o => o.Owners.Count > 0 && !o.IsDeleting).ToList())
                {
                    if (!store.Objects.TryGetValue(obj.Key, out var current) || current.Uid != obj.Uid || current.IsDeleting)
                    {
                        continue;
                    }

                    var states = current.Owners.Select(r => Resolve(current, r)).ToList();
                    if (states.All(s => s is OwnerState.Absent or OwnerState.WaitingForDependents))
                    {
                        var policy = states.Contains(OwnerState.WaitingForDependents) ? "Foreground" : "Background";
                        DeleteCore(store, current, new DeleteOptions(policy));
                        changed = true;
                    }
                    else if (states.Any(s => s is OwnerState.Absent or OwnerState.Orphaning or OwnerState.WaitingForDependents))
                    {
                        var drop = current.Owners.Where((_, i) => states[i] is OwnerState.Absent or OwnerState.Orphaning or OwnerState.WaitingForDependents)
                            .Select(r => r.Uid)
                            .ToHashSet(StringComparer.Ordinal);
                        RemoveOwnerReferences(store, current, drop);
                        changed = true;
                    }
                }
            }

            // Owners waiting on their dependents.
            foreach (var store in stores)
            {
                foreach (var owner in store.Objects.Values.Where(o => o.IsDeleting).ToList())
                {
                    if (owner.Finalizers.Contains(ForegroundFinalizer, StringComparer.Ordinal) && !HasDependents(stores, owner.Uid, blockingOnly: true))
                    {
                        RemoveFinalizer(store, owner, ForegroundFinalizer);
                        changed = true;
                    }
                    else if (owner.Finalizers.Contains(OrphanFinalizer, StringComparer.Ordinal) && !HasDependents(stores, owner.Uid, blockingOnly: false))
                    {
                        RemoveFinalizer(store, owner, OrphanFinalizer);
                        changed = true;
                    }
                }
            }

            // Terminating namespaces.
            foreach (var ns in _namespaces.Objects.Values.Where(n => n.IsDeleting).ToList())
            {
                var prefix = ns.Name + "/";
                var remaining = false;
                foreach (var store in stores.Where(s => s.Namespaced))
                {
                    foreach (var obj in store.Objects.Where(p => p.Key.StartsWith(prefix, StringComparison.Ordinal)).Select(p => p.Value).ToList())
                    {
                        remaining = true;
                        if (!obj.IsDeleting)
                        {
                            DeleteCore(store, obj, new DeleteOptions("Background"));
                            changed = true;
                        }
                    }
                }

                if (!remaining && _namespaces.Objects.TryGetValue(ns.Key, out var current))
                {
                    var obj = current.ToJsonObject();
                    var spec = JsonText.Child(obj, "spec");
                    spec["finalizers"] = JsonText.ToArray(JsonText.Strings(spec["finalizers"]).Where(f => f != "kubernetes"));
                    if (ReadyToRemove(_namespaces, obj))
                    {
                        CommitDelete(_namespaces, current);
                    }
                    else if (!JsonNode.DeepEquals(obj, current.ToJsonObject()))
                    {
                        Commit(_namespaces, obj, current);
                    }
                    else
                    {
                        continue;
                    }

                    changed = true;
                }
            }

            return changed;
        }
    }

    private OwnerState Resolve(StoredObject dependent, OwnerReference reference)
    {
        var type = Registry.FindGroupKind(reference.Group, reference.Kind);
        if (type is null)
        {
            // The collector cannot map the kind, so it cannot prove the owner absent: it leaves the dependent alone.
            return OwnerState.Unverifiable;
        }

        if (!_uids.TryGetValue(reference.Uid, out var location) || !ReferenceEquals(location.Store, type.Store)
            || !location.Store.Objects.TryGetValue(location.Key, out var owner))
        {
            return OwnerState.Absent;
        }

        if (type.Namespaced && !string.Equals(owner.Namespace, dependent.Namespace, StringComparison.Ordinal))
        {
            return OwnerState.Absent;
        }

        if (owner.IsDeleting && owner.Finalizers.Contains(ForegroundFinalizer, StringComparer.Ordinal))
        {
            return OwnerState.WaitingForDependents;
        }

        return owner.IsDeleting && owner.Finalizers.Contains(OrphanFinalizer, StringComparer.Ordinal) ? OwnerState.Orphaning : OwnerState.Alive;
    }

    private static bool HasDependents(List<ResourceStore> stores, string ownerUid, bool blockingOnly) =>
        stores.Any(s => s.Objects.Values.Any(o => o.Owners.Any(r => r.Uid == ownerUid && (!blockingOnly || r.BlockOwnerDeletion))));

    private void RemoveOwnerReferences(ResourceStore store, StoredObject current, HashSet<string> uids)
    {
        var obj = current.ToJsonObject();
        var meta = JsonText.Metadata(obj);
        var kept = (meta["ownerReferences"] as JsonArray)?.OfType<JsonObject>()
            .Where(r => !uids.Contains(JsonText.GetString(r, "uid") ?? string.Empty))
            .Select(r => (JsonNode?)r.DeepClone())
            .ToArray() ?? [];
        if (kept.Length == 0)
        {
            meta.Remove("ownerReferences");
        }
        else
        {
            meta["ownerReferences"] = new JsonArray(kept);
        }

        Commit(store, obj, current);
    }

    private void RemoveFinalizer(ResourceStore store, StoredObject current, string finalizer)
    {
        var obj = current.ToJsonObject();
        var meta = JsonText.Metadata(obj);
        var finalizers = JsonText.Strings(meta["finalizers"]).Where(f => f != finalizer).ToList();
        if (finalizers.Count == 0)
        {
            meta.Remove("finalizers");
        }
        else
        {
            meta["finalizers"] = JsonText.ToArray(finalizers);
        }

        if (current.IsDeleting && ReadyToRemove(store, obj))
        {
            CommitDelete(store, current);
        }
        else
        {
            Commit(store, obj, current);
        }
    }
}
