namespace Csi.Kubernetes;

/// <summary>
/// A resource of the API (namespaced or cluster-scoped), and the REST paths of its collections and objects.
/// The suite's binaries name their own custom resources beside these core ones.
/// </summary>
public sealed record ApiResource(string Group, string Version, string Plural)
{
    public static readonly ApiResource Secrets = new(string.Empty, "v1", "secrets");

    public static readonly ApiResource Events = new(string.Empty, "v1", "events");

    public static readonly ApiResource Pods = new(string.Empty, "v1", "pods");

    public static readonly ApiResource Nodes = new(string.Empty, "v1", "nodes");

    public static readonly ApiResource ServiceAccounts = new(string.Empty, "v1", "serviceaccounts");

    public static readonly ApiResource PersistentVolumes = new(string.Empty, "v1", "persistentvolumes");

    public static readonly ApiResource PersistentVolumeClaims = new(string.Empty, "v1", "persistentvolumeclaims");

    public static readonly ApiResource StorageClasses = new("storage.k8s.io", "v1", "storageclasses");

    public static readonly ApiResource CsiNodes = new("storage.k8s.io", "v1", "csinodes");

    public static readonly ApiResource VolumeAttachments = new("storage.k8s.io", "v1", "volumeattachments");

    public static readonly ApiResource CsiStorageCapacities = new("storage.k8s.io", "v1", "csistoragecapacities");

    public static readonly ApiResource Leases = new("coordination.k8s.io", "v1", "leases");

    public string ApiVersion => Group.Length == 0 ? Version : Group + "/" + Version;

    /// <summary>The collection in one namespace, or across all namespaces (or of a cluster-scoped resource) when <paramref name="namespace"/> is null.</summary>
    public string CollectionPath(string? @namespace)
    {
        var root = Group.Length == 0 ? "/api/" + Version : $"/apis/{Group}/{Version}";
        return @namespace is null ? $"{root}/{Plural}" : $"{root}/namespaces/{Uri.EscapeDataString(@namespace)}/{Plural}";
    }

    public string ObjectPath(string? @namespace, string name) => CollectionPath(@namespace) + "/" + Uri.EscapeDataString(name);

    /// <summary>A subresource of one object, such as a service account's <c>token</c> or an object's <c>status</c>.</summary>
    public string SubresourcePath(string? @namespace, string name, string subresource) => ObjectPath(@namespace, name) + "/" + subresource;

    public override string ToString() => Group.Length == 0 ? Plural : Plural + "." + Group;
}
