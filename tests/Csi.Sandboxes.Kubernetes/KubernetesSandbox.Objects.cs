using System.Reflection;
using System.Text.Json.Nodes;
using Csi.Sandboxes.Kubernetes.Internal;
using k8s;
using k8s.Models;

namespace Csi.Sandboxes.Kubernetes;

/// <summary>Objects seeded, read and deleted directly (no request, no request log), and the controllers' work waited for.</summary>
public sealed partial class KubernetesSandbox
{
    /// <summary>
    /// A node where a CSI driver is registered, as kubelet leaves it: the Node, labelled with its name under
    /// <paramref name="topologyKey"/> and <c>kubernetes.io/hostname</c>, and its CSINode naming the driver, its node
    /// ID (the node's name) and that topology key.
    /// </summary>
    public void SeedCsiNode(string nodeName, string driverName, string topologyKey)
    {
        Seed(new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "Node",
            ["metadata"] = new JsonObject { ["name"] = nodeName, ["labels"] = new JsonObject { [topologyKey] = nodeName, ["kubernetes.io/hostname"] = nodeName } },
        });
        Seed(new JsonObject
        {
            ["apiVersion"] = "storage.k8s.io/v1",
            ["kind"] = "CSINode",
            ["metadata"] = new JsonObject { ["name"] = nodeName },
            ["spec"] = new JsonObject
            {
                ["drivers"] = new JsonArray(new JsonObject { ["name"] = driverName, ["nodeID"] = nodeName, ["topologyKeys"] = new JsonArray(topologyKey) }),
            },
        });
    }

    /// <summary>
    /// Creates or replaces an object (any served kind, any served version's form) without HTTP and without
    /// admission: no schema validation, no status reset; defaults, uid, timestamps and a new resourceVersion are set,
    /// watches see ADDED or MODIFIED, and a missing namespace is created. Returns the stored object.
    /// </summary>
    public JsonObject Seed(JsonObject obj)
    {
        ArgumentNullException.ThrowIfNull(obj);
        var apiVersion = JsonText.GetString(obj, "apiVersion") ?? throw new ArgumentException("object has no apiVersion", nameof(obj));
        var kind = JsonText.GetString(obj, "kind") ?? throw new ArgumentException("object has no kind", nameof(obj));
        var view = View(apiVersion, kind);
        return view.RenderObject(Translate(() => _state.Seed(obj)));
    }

    /// <summary>Seeds a typed object (apiVersion and kind default from the model's <c>KubernetesEntity</c> attribute).</summary>
    public T Seed<T>(T obj)
        where T : class, IKubernetesObject
    {
        ArgumentNullException.ThrowIfNull(obj);
        return KubernetesJson.Deserialize<T>(Seed(ToJson(obj)).ToJsonString());
    }

    /// <summary>Seeds many objects under one lock (fast: thousands per second). Returns how many were stored.</summary>
    public int SeedMany(IEnumerable<JsonObject> objects)
    {
        ArgumentNullException.ThrowIfNull(objects);
        return Translate(() => _state.SeedMany(objects));
    }

    /// <summary>Seeds many typed objects under one lock.</summary>
    public int SeedMany<T>(IEnumerable<T> objects)
        where T : class, IKubernetesObject
    {
        ArgumentNullException.ThrowIfNull(objects);
        return SeedMany(objects.Select(ToJson));
    }

    /// <summary>
    /// Seeds every object of a JSON or (multi-document) YAML manifest; CustomResourceDefinitions and Namespaces go
    /// first so the rest can use them. Returns the stored objects.
    /// </summary>
    public IReadOnlyList<JsonObject> SeedManifest(string yamlOrJson)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(yamlOrJson);
        var objects = Translate(() => ManifestReader.ReadObjects(yamlOrJson));
        return objects
            .OrderBy(o => JsonText.GetString(o, "kind") switch { "CustomResourceDefinition" => 0, "Namespace" => 1, _ => 2 })
            .Select(Seed)
            .ToList();
    }

    /// <summary>
    /// Registers the CustomResourceDefinitions in a manifest (YAML or JSON, apiextensions.k8s.io/v1): their
    /// resources are served, listed in discovery and validated against their schemas at once. Returns their names.
    /// </summary>
    public IReadOnlyList<string> RegisterCustomResourceDefinition(string yamlOrJson)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(yamlOrJson);
        var definitions = Translate(() => ManifestReader.ReadObjects(yamlOrJson))
            .Where(o => JsonText.GetString(o, "kind") == "CustomResourceDefinition")
            .ToList();
        if (definitions.Count == 0)
        {
            throw new ArgumentException("the manifest holds no CustomResourceDefinition", nameof(yamlOrJson));
        }

        return definitions.Select(d => JsonText.GetString(Seed(d), "metadata", "name")!).ToList();
    }

    /// <summary>An object in <paramref name="apiVersion"/>'s form, or null. A namespaced kind's namespace defaults to <c>default</c>.</summary>
    public JsonObject? Get(string apiVersion, string kind, string name, string? @namespace = null)
    {
        var view = View(apiVersion, kind);
        var stored = _state.TryGet(view, view.Namespaced ? @namespace ?? "default" : null, name);
        return stored is null ? null : view.RenderObject(stored);
    }

    /// <summary>A typed object, or null.</summary>
    public T? Get<T>(string name, string? @namespace = null)
        where T : class, IKubernetesObject
    {
        var (apiVersion, kind) = TypeMeta<T>();
        var obj = Get(apiVersion, kind, name, @namespace);
        return obj is null ? null : KubernetesJson.Deserialize<T>(obj.ToJsonString());
    }

    /// <summary>Objects of a kind (all namespaces when <paramref name="namespace"/> is null), optionally filtered by selectors.</summary>
    public IReadOnlyList<JsonObject> List(string apiVersion, string kind, string? @namespace = null, string? labelSelector = null, string? fieldSelector = null)
    {
        var view = View(apiVersion, kind);
        var query = new ListQuery(LabelSelector.Parse(labelSelector), FieldSelector.Parse(fieldSelector), null, null, null, null);
        return Translate(() => _state.List(view, view.Namespaced ? @namespace : null, query)).Items.Select(view.RenderObject).ToList();
    }

    /// <summary>Typed objects of a kind.</summary>
    public IReadOnlyList<T> List<T>(string? @namespace = null, string? labelSelector = null, string? fieldSelector = null)
        where T : class, IKubernetesObject
    {
        var (apiVersion, kind) = TypeMeta<T>();
        return List(apiVersion, kind, @namespace, labelSelector, fieldSelector).Select(o => KubernetesJson.Deserialize<T>(o.ToJsonString())).ToList();
    }

    /// <summary>How many objects of a kind exist (in a namespace, or everywhere).</summary>
    public int Count(string apiVersion, string kind, string? @namespace = null)
    {
        var view = View(apiVersion, kind);
        return _state.Snapshot(view, view.Namespaced ? @namespace : null).Count;
    }

    /// <summary>
    /// Deletes as the API would (finalizers mark instead of delete; owners' dependents follow via garbage collection).
    /// False when the object does not exist.
    /// </summary>
    public bool Delete(string apiVersion, string kind, string name, string? @namespace = null, string propagationPolicy = "Background")
    {
        var view = View(apiVersion, kind);
        try
        {
            _state.Delete(view, view.Namespaced ? @namespace ?? "default" : null, name, new DeleteOptions(propagationPolicy));
            return true;
        }
        catch (ApiException e) when (e.Code == 404)
        {
            return false;
        }
        catch (ApiException e)
        {
            throw new InvalidOperationException(e.Message, e);
        }
    }

    /// <summary>Deletes a typed object.</summary>
    public bool Delete<T>(string name, string? @namespace = null, string propagationPolicy = "Background")
        where T : class, IKubernetesObject
    {
        var (apiVersion, kind) = TypeMeta<T>();
        return Delete(apiVersion, kind, name, @namespace, propagationPolicy);
    }

    /// <summary>Completes once the garbage collector has caught up with every change made before the call.</summary>
    public Task WaitForGarbageCollectionAsync(CancellationToken cancellationToken = default) => _collector.WaitAsync(cancellationToken);

    /// <summary>
    /// Waits until the background controllers (garbage collector, namespace controller and, with
    /// <see cref="KubernetesSandboxOptions.EmulateVolumeControllers"/>, the volume controllers) have caught up with every
    /// change made before this call.
    /// </summary>
    public Task WaitForControllersAsync(CancellationToken cancellationToken = default) => _collector.WaitAsync(cancellationToken);

    private ResourceType View(string apiVersion, string kind)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(apiVersion);
        ArgumentException.ThrowIfNullOrWhiteSpace(kind);
        return _state.FindKind(apiVersion, kind) ?? throw new ArgumentException($"the sandbox serves no {kind} in {apiVersion}");
    }

    private static TResult Translate<TResult>(Func<TResult> action)
    {
        try
        {
            return action();
        }
        catch (ApiException e)
        {
            throw new InvalidOperationException(e.Message, e);
        }
    }

    private static JsonObject ToJson<T>(T obj)
        where T : class, IKubernetesObject
    {
        var json = JsonNode.Parse(KubernetesJson.Serialize(obj))!.AsObject();
        var (apiVersion, kind) = TypeMeta<T>();
        if (string.IsNullOrEmpty(JsonText.GetString(json, "apiVersion")))
        {
            json["apiVersion"] = apiVersion;
        }

        if (string.IsNullOrEmpty(JsonText.GetString(json, "kind")))
        {
            json["kind"] = kind;
        }

        return json;
    }

    private static (string ApiVersion, string Kind) TypeMeta<T>()
    {
        var entity = typeof(T).GetCustomAttribute<KubernetesEntityAttribute>()
            ?? throw new ArgumentException($"{typeof(T).Name} has no KubernetesEntity attribute; use the JsonObject overloads");
        return (string.IsNullOrEmpty(entity.Group) ? entity.ApiVersion : entity.Group + "/" + entity.ApiVersion, entity.Kind);
    }
}
