using System.Text.Json;
using System.Text.Json.Serialization;
using Csi.Kubernetes.Models;

namespace Csi.Provisioner.Models;

/// <summary>core/v1 PersistentVolume: what the provisioner writes and reads; the rest rides along on update.</summary>
public sealed class PersistentVolume : IKubernetesObject
{
    public string? ApiVersion { get; set; } = "v1";

    public string? Kind { get; set; } = "PersistentVolume";

    public ObjectMeta Metadata { get; set; } = new();

    public VolumeSpec Spec { get; set; } = new();

    public VolumeStatus? Status { get; set; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? Other { get; set; }
}
