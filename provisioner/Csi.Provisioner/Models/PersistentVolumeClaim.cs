using System.Text.Json;
using System.Text.Json.Serialization;
using Csi.Kubernetes.Models;

namespace Csi.Provisioner.Models;

/// <summary>core/v1 PersistentVolumeClaim: the fields the provisioner reads; the rest rides along on update.</summary>
public sealed class PersistentVolumeClaim : IKubernetesObject
{
    public string? ApiVersion { get; set; } = "v1";

    public string? Kind { get; set; } = "PersistentVolumeClaim";

    public ObjectMeta Metadata { get; set; } = new();

    public ClaimSpec Spec { get; set; } = new();

    public ClaimStatus? Status { get; set; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? Other { get; set; }
}
