using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Csi.Sandboxes.Kubernetes.Internal;

/// <summary>
/// One object as stored: its serialized JSON (storage form) plus what selectors, garbage collection and watches
/// read, extracted once at write time. Immutable, so readers need no lock.
/// </summary>
internal sealed class StoredObject
{
    private static readonly IReadOnlyDictionary<string, string> NoLabels = new Dictionary<string, string>();

    private StoredObject(byte[] json, string? ns, string name, string uid, ulong resourceVersion)
    {
        Json = json;
        Namespace = ns;
        Name = name;
        Uid = uid;
        ResourceVersion = resourceVersion;
        Key = ns is null ? name : ns + "/" + name;
    }

    public byte[] Json { get; }

    public string Key { get; }

    public string? Namespace { get; }

    public string Name { get; }

    public string Uid { get; }

    public ulong ResourceVersion { get; }

    public IReadOnlyDictionary<string, string> Labels { get; private init; } = NoLabels;

    public IReadOnlyDictionary<string, string> Fields { get; private init; } = NoLabels;

    public IReadOnlyList<OwnerReference> Owners { get; private init; } = [];

    public IReadOnlyList<string> Finalizers { get; private init; } = [];

    public bool IsDeleting { get; private init; }

    public static string KeyOf(string? ns, string name) => ns is null ? name : ns + "/" + name;

    /// <summary>Snapshots <paramref name="obj"/> (storage form, metadata complete) for <paramref name="store"/>.</summary>
    public static StoredObject Create(ResourceStore store, JsonObject obj)
    {
        var meta = obj["metadata"] as JsonObject ?? throw new InvalidOperationException("object has no metadata");
        var ns = store.Namespaced ? Text(meta["namespace"]) : null;
        var name = Text(meta["name"]) ?? throw new InvalidOperationException("object has no name");
        var uid = Text(meta["uid"]) ?? string.Empty;
        var rv = ulong.TryParse(Text(meta["resourceVersion"]), NumberStyles.None, CultureInfo.InvariantCulture, out var r) ? r : 0;

        Dictionary<string, string>? labels = null;
        if (meta["labels"] is JsonObject l && l.Count > 0)
        {
            labels = new Dictionary<string, string>(l.Count, StringComparer.Ordinal);
            foreach (var (k, v) in l)
            {
                labels[k] = Text(v) ?? string.Empty;
            }
        }

        var owners = new List<OwnerReference>();
        if (meta["ownerReferences"] is JsonArray refs)
        {
            foreach (var node in refs.OfType<JsonObject>())
            {
                owners.Add(new OwnerReference(
                    Text(node["apiVersion"]) ?? string.Empty,
                    Text(node["kind"]) ?? string.Empty,
                    Text(node["name"]) ?? string.Empty,
                    Text(node["uid"]) ?? string.Empty,
                    node["blockOwnerDeletion"] is JsonValue b && b.GetValueKind() == JsonValueKind.True,
                    node["controller"] is JsonValue c && c.GetValueKind() == JsonValueKind.True));
            }
        }

        var finalizers = meta["finalizers"] is JsonArray f ? f.Select(Text).OfType<string>().ToArray() : [];
        var json = JsonSerializer.SerializeToUtf8Bytes(obj, JsonText.Options);
        return new StoredObject(json, ns, name, uid, rv)
        {
            Labels = labels ?? NoLabels,
            Fields = store.SelectableFields(obj),
            Owners = owners,
            Finalizers = finalizers,
            IsDeleting = meta["deletionTimestamp"] is not null,
        };
    }

    public JsonObject ToJsonObject() => JsonNode.Parse(Json)!.AsObject();

    /// <summary>The same object carrying another resourceVersion (a deletion's, for the DELETED event).</summary>
    public StoredObject WithResourceVersion(ResourceStore store, ulong resourceVersion)
    {
        var obj = ToJsonObject();
        ((JsonObject)obj["metadata"]!)["resourceVersion"] = resourceVersion.ToString(CultureInfo.InvariantCulture);
        return Create(store, obj);
    }

    private static string? Text(JsonNode? node) => node is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;
}

/// <summary>An entry of <c>metadata.ownerReferences</c>.</summary>
internal sealed record OwnerReference(string ApiVersion, string Kind, string Name, string Uid, bool BlockOwnerDeletion, bool Controller)
{
    public string Group => ApiVersion.Contains('/', StringComparison.Ordinal) ? ApiVersion[..ApiVersion.IndexOf('/', StringComparison.Ordinal)] : string.Empty;
}
