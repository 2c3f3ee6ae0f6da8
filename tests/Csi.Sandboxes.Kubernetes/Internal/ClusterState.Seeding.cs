using System.Text.Json.Nodes;

namespace Csi.Sandboxes.Kubernetes.Internal;

/// <summary>Seeding: direct writes that bypass admission but keep defaults, uids, timestamps and watch events.</summary>
internal sealed partial class ClusterState
{
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
}
