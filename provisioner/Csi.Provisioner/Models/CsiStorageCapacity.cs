using System.Text.Json;
using System.Text.Json.Serialization;
using Csi.Kubernetes.Models;

namespace Csi.Provisioner.Models;

/// <summary>storage.k8s.io/v1 CSIStorageCapacity: the capacity of one StorageClass in one topology segment.</summary>
public sealed class CsiStorageCapacity : IKubernetesObject
{
    public string? ApiVersion { get; set; } = "storage.k8s.io/v1";

    public string? Kind { get; set; } = "CSIStorageCapacity";

    public ObjectMeta Metadata { get; set; } = new();

    public LabelSelectorModel? NodeTopology { get; set; }

    public string StorageClassName { get; set; } = string.Empty;

    public string? Capacity { get; set; }

    public string? MaximumVolumeSize { get; set; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? Other { get; set; }
}
