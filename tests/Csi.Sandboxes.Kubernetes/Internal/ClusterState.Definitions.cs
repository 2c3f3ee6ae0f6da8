using System.Text.Json.Nodes;

namespace Csi.Sandboxes.Kubernetes.Internal;

/// <summary>Serving and retiring the resources of CustomResourceDefinitions.</summary>
internal sealed partial class ClusterState
{
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
}
