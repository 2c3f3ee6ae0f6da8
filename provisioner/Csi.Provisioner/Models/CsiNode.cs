using System.Text.Json;
using System.Text.Json.Serialization;
using Csi.Kubernetes.Models;

namespace Csi.Provisioner.Models;

/// <summary>storage.k8s.io/v1 CSINode: the drivers registered on a node and their topology keys.</summary>
public sealed class CsiNode : IKubernetesObject
{
    public string? ApiVersion { get; set; } = "storage.k8s.io/v1";

    public string? Kind { get; set; } = "CSINode";

    public ObjectMeta Metadata { get; set; } = new();

    public CsiNodeSpec Spec { get; set; } = new();

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? Other { get; set; }
}
