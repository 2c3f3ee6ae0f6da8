using System.Text.Json;
using System.Text.Json.Serialization;

namespace Csi.Provisioner.Models;

/// <summary>PersistentVolumeClaim status.</summary>
public sealed class ClaimStatus
{
    public string? Phase { get; set; }

    public Dictionary<string, string>? Capacity { get; set; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? Other { get; set; }
}
