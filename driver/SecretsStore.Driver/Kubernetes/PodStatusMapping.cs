using Csi.Kubernetes.Models;
using SecretsStore.Driver.Kubernetes.Models;
using SecretsStore.Driver.PodStatuses;

namespace SecretsStore.Driver.Kubernetes;

/// <summary>
/// What the driver writes into a SecretProviderClassPodStatus, as upstream writes it: name
/// &lt;pod&gt;-&lt;namespace&gt;-&lt;class&gt;, the node label, one ownerReference to the pod (no controller flag), and
/// the status with objects sorted by id. Applied onto an existing object, everything else it carries is kept.
/// </summary>
public static class PodStatusMapping
{
    public const string NodeLabel = "internal.secrets-store.csi.k8s.io/node-name";

    /// <summary>
    /// This driver's addition: the comma-separated names of the Secrets the volume's class declared when it was last
    /// mounted or rotated (empty: none), so that a node deletes a Secret no longer declared only when no volume on any
    /// node still declares it. Upstream does not write it; a status without it declares unknown Secrets.
    /// </summary>
    public const string SecretObjectsAnnotation = "internal.secrets-store.csi.k8s.io/secret-objects";

    public static SecretProviderClassPodStatusResource Apply(SecretProviderClassPodStatusResource? existing, PodStatusRecord record)
    {
        var resource = existing ?? new SecretProviderClassPodStatusResource();
        resource.ApiVersion = SecretProviderClassPodStatusResource.ApiVersionV1;
        resource.Kind = SecretProviderClassPodStatusResource.KindName;
        resource.Metadata.Name = record.Name;
        resource.Metadata.Namespace = record.PodNamespace;
        resource.Metadata.Labels ??= new Dictionary<string, string>(StringComparer.Ordinal);
        resource.Metadata.Labels[NodeLabel] = record.NodeId;
        if (record.SecretNames is { } names)
        {
            resource.Metadata.Annotations ??= new Dictionary<string, string>(StringComparer.Ordinal);
            resource.Metadata.Annotations[SecretObjectsAnnotation] = string.Join(',', names.Where(n => n.Length > 0).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal));
        }
        resource.Metadata.OwnerReferences = record.PodUid.Length == 0
            ? null
            : [new OwnerReference { ApiVersion = "v1", Kind = "Pod", Name = record.PodName, Uid = record.PodUid }];
        resource.Status = new SecretProviderClassPodStatusStatus
        {
            PodName = record.PodName,
            SecretProviderClassName = record.SecretProviderClassName,
            Mounted = record.Mounted,
            TargetPath = record.TargetPath,
            Objects = record.Objects
                .OrderBy(o => o.Id, StringComparer.Ordinal)
                .Select(o => new SecretProviderClassObject { Id = o.Id, Version = o.Version })
                .ToList(),
        };
        return resource;
    }

    /// <summary>The Secrets a stored status says its volume declares; null when it does not say (written by another driver).</summary>
    public static IReadOnlySet<string>? SecretNames(SecretProviderClassPodStatusResource resource)
        => resource.Metadata.Annotations?.TryGetValue(SecretObjectsAnnotation, out var names) == true
            ? names.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToHashSet(StringComparer.Ordinal)
            : null;

    /// <summary>The objects a stored status records, in the driver's terms.</summary>
    public static IReadOnlyList<ObjectVersionRecord> Objects(SecretProviderClassPodStatusResource resource)
        => (resource.Status?.Objects ?? []).Select(o => new ObjectVersionRecord(o.Id ?? string.Empty, o.Version ?? string.Empty)).ToArray();
}
