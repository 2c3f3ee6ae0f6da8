using Csi.Kubernetes.Models;

namespace Csi.Providers.Aws.Kubernetes;

/// <summary>A pod read for the node it runs on: the rest of the body is skipped.</summary>
internal sealed class PodNodeResource : IKubernetesObject
{
    public ObjectMeta Metadata { get; set; } = new();

    public PodNodeSpec? Spec { get; set; }
}
