namespace Csi.Kubernetes.Models;

/// <summary>Any object with metadata: what informers cache and key by namespace and name.</summary>
public interface IKubernetesObject
{
    ObjectMeta Metadata { get; }
}
