using System.Globalization;
using System.Text.Json.Nodes;

namespace Csi.Sandboxes.Kubernetes.Internal;

/// <summary>
/// A resource as served at one group/version (what discovery lists): names, verbs, selectable fields, the schema of
/// a custom resource, and the conversion between this version's form and the storage form of its
/// <see cref="ResourceStore"/>.
/// </summary>
internal sealed class ResourceType
{
    public static readonly string[] DefaultVerbs = ["create", "delete", "deletecollection", "get", "list", "patch", "update", "watch"];

    public required string Group { get; init; }

    public required string Version { get; init; }

    public required string Resource { get; init; }

    public required string Kind { get; init; }

    public required string Singular { get; init; }

    public required ResourceStore Store { get; init; }

    public string ListKind => Kind + "List";

    public IReadOnlyList<string> ShortNames { get; init; } = [];

    public IReadOnlyList<string> Categories { get; init; } = [];

    public IReadOnlyList<string> Verbs { get; init; } = DefaultVerbs;

    public bool HasStatus { get; init; }

    public bool IsCustom { get; init; }

    /// <summary>Set for custom resources: prune, default, validate.</summary>
    public StructuralSchema? Schema { get; init; }

    /// <summary>Field labels this version accepts, mapped to the stored field names.</summary>
    public IReadOnlyDictionary<string, string> SelectableFields { get; init; } = new Dictionary<string, string>();

    /// <summary>Storage form to this version's form (besides apiVersion/kind); null when identical.</summary>
    public Func<JsonObject, JsonObject>? ToExternalForm { get; init; }

    /// <summary>This version's form to storage form (besides apiVersion/kind); null when identical.</summary>
    public Func<JsonObject, JsonObject>? ToInternalForm { get; init; }

    /// <summary>The apiVersion of the storage form.</summary>
    public required string StorageApiVersion { get; init; }

    /// <summary>The kind of the storage form.</summary>
    public string StorageKind => Store.Kind;

    public string ApiVersion => Group.Length == 0 ? Version : Group + "/" + Version;

    public bool Namespaced => Store.Namespaced;

    public GroupResource GroupResource => new(Group, Resource);

    /// <summary>The kind as validation errors qualify it: <c>Pod</c>, <c>Lease.coordination.k8s.io</c>.</summary>
    public string QualifiedKind => Group.Length == 0 ? Kind : Kind + "." + Group;

    private bool IsStorageForm => ToExternalForm is null && string.Equals(ApiVersion, StorageApiVersion, StringComparison.Ordinal) && string.Equals(Kind, StorageKind, StringComparison.Ordinal);

    public JsonObject ToExternal(JsonObject stored)
    {
        var obj = ToExternalForm is null ? stored : ToExternalForm(stored);
        SetTypeMeta(obj, ApiVersion, Kind);
        return obj;
    }

    public JsonObject ToInternal(JsonObject external)
    {
        var obj = ToInternalForm is null ? external : ToInternalForm(external);
        SetTypeMeta(obj, StorageApiVersion, StorageKind);
        return obj;
    }

    /// <summary>The object in this version's form, optionally carrying another resourceVersion.</summary>
    public byte[] Render(StoredObject stored, ulong? resourceVersion = null)
    {
        if (IsStorageForm && (resourceVersion is null || resourceVersion == stored.ResourceVersion))
        {
            return stored.Json;
        }

        var obj = ToExternal(stored.ToJsonObject());
        if (resourceVersion is { } rv)
        {
            JsonText.Metadata(obj)["resourceVersion"] = rv.ToString(CultureInfo.InvariantCulture);
        }

        return JsonText.Serialize(obj);
    }

    public JsonObject RenderObject(StoredObject stored) => ToExternal(stored.ToJsonObject());

    private static void SetTypeMeta(JsonObject obj, string apiVersion, string kind)
    {
        // Keep apiVersion and kind first, as the API server writes them.
        var rest = obj.Where(p => p.Key is not ("apiVersion" or "kind")).ToList();
        if (obj.Count >= 2 && obj.ElementAt(0).Key == "apiVersion" && obj.ElementAt(1).Key == "kind")
        {
            obj["apiVersion"] = apiVersion;
            obj["kind"] = kind;
            return;
        }

        obj.Clear();
        obj["apiVersion"] = apiVersion;
        obj["kind"] = kind;
        foreach (var (k, v) in rest)
        {
            obj[k] = v;
        }
    }
}
