namespace SecretsStore.Driver.Kubernetes;

/// <summary>A namespaced resource the driver uses, and the REST paths of its collections and objects.</summary>
public sealed record ApiResource(string Group, string Version, string Plural)
{
    public const string SecretsStoreGroup = "secrets-store.csi.x-k8s.io";

    public static readonly ApiResource SecretProviderClassesV1 = new(SecretsStoreGroup, "v1", "secretproviderclasses");

    public static readonly ApiResource SecretProviderClassesV1Alpha1 = new(SecretsStoreGroup, "v1alpha1", "secretproviderclasses");

    public static readonly ApiResource SecretProviderClassPodStatusesV1 = new(SecretsStoreGroup, "v1", "secretproviderclasspodstatuses");

    public static readonly ApiResource Secrets = new(string.Empty, "v1", "secrets");

    public static readonly ApiResource Events = new(string.Empty, "v1", "events");

    public static readonly ApiResource Pods = new(string.Empty, "v1", "pods");

    public string ApiVersion => Group.Length == 0 ? Version : Group + "/" + Version;

    /// <summary>The collection in one namespace, or across all namespaces when <paramref name="namespace"/> is null.</summary>
    public string CollectionPath(string? @namespace)
    {
        var root = Group.Length == 0 ? "/api/" + Version : $"/apis/{Group}/{Version}";
        return @namespace is null ? $"{root}/{Plural}" : $"{root}/namespaces/{Uri.EscapeDataString(@namespace)}/{Plural}";
    }

    public string ObjectPath(string @namespace, string name) => CollectionPath(@namespace) + "/" + Uri.EscapeDataString(name);

    public override string ToString() => Group.Length == 0 ? Plural : Plural + "." + Group;
}
