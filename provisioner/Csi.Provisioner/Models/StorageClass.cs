using System.Text.Json;
using System.Text.Json.Serialization;
using Csi.Kubernetes.Models;

namespace Csi.Provisioner.Models;

/// <summary>storage.k8s.io/v1 StorageClass.</summary>
public sealed class StorageClass : IKubernetesObject
{
    public string? ApiVersion { get; set; } = "storage.k8s.io/v1";

    public string? Kind { get; set; } = "StorageClass";

    public ObjectMeta Metadata { get; set; } = new();

    public string? Provisioner { get; set; }

    public Dictionary<string, string>? Parameters { get; set; }

    public string? ReclaimPolicy { get; set; }

    public List<string>? MountOptions { get; set; }

    public bool? AllowVolumeExpansion { get; set; }

    public string? VolumeBindingMode { get; set; }

    public List<TopologySelectorTerm>? AllowedTopologies { get; set; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? Other { get; set; }
}
