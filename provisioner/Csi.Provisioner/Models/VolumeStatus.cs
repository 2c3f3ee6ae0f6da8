using System.Text.Json;
using System.Text.Json.Serialization;

namespace Csi.Provisioner.Models;

/// <summary>PersistentVolume status: Pending, Available, Bound, Released or Failed.</summary>
public sealed class VolumeStatus
{
    public string? Phase { get; set; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? Other { get; set; }
}
