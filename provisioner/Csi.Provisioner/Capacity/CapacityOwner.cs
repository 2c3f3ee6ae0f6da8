using Csi.Kubernetes;
using Csi.Kubernetes.Models;

namespace Csi.Provisioner.Capacity;

/// <summary>
/// The owner of the CSIStorageCapacity objects, from env POD_NAME in NAMESPACE and --capacity-ownerref-level:
/// -1 none, 0 the pod, 1 the pod's controller (its ReplicaSet, StatefulSet or DaemonSet), as upstream's levels 0 and 1.
/// </summary>
public static class CapacityOwner
{
    public static async Task<IReadOnlyList<OwnerReference>> ResolveAsync(KubernetesApiClient client, ProvisionerOptions options, ILogger logger, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(options);
        if (options.CapacityOwnerrefLevel < 0)
        {
            return [];
        }
        ObjectMetadataResource? pod;
        try
        {
            pod = await client.GetAsync(ApiResource.Pods, options.CapacityNamespace, options.PodName, KubernetesJsonContext.Default.ObjectMetadataResource, cancellationToken).ConfigureAwait(false);
        }
        catch (KubernetesApiException e)
        {
            ProvisionerLog.CapacityNoOwner(logger, $"cannot read pod {options.CapacityNamespace}/{options.PodName}: {e.Message}");
            return [];
        }
        if (pod is null)
        {
            ProvisionerLog.CapacityNoOwner(logger, $"pod {options.CapacityNamespace}/{options.PodName} (env POD_NAME, NAMESPACE) does not exist");
            return [];
        }
        return Select(pod.Metadata, options.CapacityOwnerrefLevel) is { } owner ? [owner] : [];
    }

    /// <summary>The owner at <paramref name="level"/> seen from the pod's metadata, or null when there is none.</summary>
    public static OwnerReference? Select(ObjectMeta pod, int level)
    {
        ArgumentNullException.ThrowIfNull(pod);
        if (level == 0)
        {
            return new OwnerReference { ApiVersion = "v1", Kind = "Pod", Name = pod.Name ?? string.Empty, Uid = pod.Uid ?? string.Empty, Controller = true };
        }
        var controller = pod.OwnerReferences?.FirstOrDefault(o => o.Controller == true);
        return controller is null ? null : new OwnerReference { ApiVersion = controller.ApiVersion, Kind = controller.Kind, Name = controller.Name, Uid = controller.Uid, Controller = true };
    }
}
