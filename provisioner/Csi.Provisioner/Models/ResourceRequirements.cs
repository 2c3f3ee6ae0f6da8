using System.Text.Json;
using System.Text.Json.Serialization;

namespace Csi.Provisioner.Models;

/// <summary>requests and limits as Kubernetes quantities ("10Gi").</summary>
public sealed class ResourceRequirements
{
    public Dictionary<string, string>? Requests { get; set; }

    public Dictionary<string, string>? Limits { get; set; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? Other { get; set; }
}
