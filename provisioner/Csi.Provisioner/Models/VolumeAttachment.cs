using System.Text.Json;
using System.Text.Json.Serialization;
using Csi.Kubernetes.Models;

namespace Csi.Provisioner.Models;

/// <summary>storage.k8s.io/v1 VolumeAttachment: a volume that is attached must not be deleted.</summary>
public sealed class VolumeAttachment : IKubernetesObject
{
    public string? ApiVersion { get; set; } = "storage.k8s.io/v1";

    public string? Kind { get; set; } = "VolumeAttachment";

    public ObjectMeta Metadata { get; set; } = new();

    public VolumeAttachmentSpec Spec { get; set; } = new();

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? Other { get; set; }
}
