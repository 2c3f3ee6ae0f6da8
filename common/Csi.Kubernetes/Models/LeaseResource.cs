using System.Text.Json;
using System.Text.Json.Serialization;

namespace Csi.Kubernetes.Models;

/// <summary>coordination.k8s.io/v1 Lease, as leader election uses it.</summary>
public sealed class LeaseResource : IKubernetesObject
{
    public string? ApiVersion { get; set; } = "coordination.k8s.io/v1";

    public string? Kind { get; set; } = "Lease";

    public ObjectMeta Metadata { get; set; } = new();

    public LeaseSpec Spec { get; set; } = new();

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? Other { get; set; }
}
