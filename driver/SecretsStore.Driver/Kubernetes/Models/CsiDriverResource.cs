using Csi.Kubernetes.Models;

namespace SecretsStore.Driver.Kubernetes.Models;

/// <summary>storage.k8s.io/v1 CSIDriver, only what the driver reads: <c>spec.tokenRequests</c>.</summary>
public sealed class CsiDriverResource
{
    public string ApiVersion { get; set; } = "storage.k8s.io/v1";

    public string Kind { get; set; } = "CSIDriver";

    public ObjectMeta Metadata { get; set; } = new();

    public CsiDriverSpec Spec { get; set; } = new();
}
