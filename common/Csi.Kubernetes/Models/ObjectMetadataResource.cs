namespace Csi.Kubernetes.Models;

/// <summary>Any object read for its metadata only: the rest of the body (a Secret's data, say) is skipped, not kept.</summary>
public sealed class ObjectMetadataResource : IKubernetesObject
{
    public string? ApiVersion { get; set; }

    public string? Kind { get; set; }

    public ObjectMeta Metadata { get; set; } = new();
}
