using System.Text.Json;
using System.Text.Json.Serialization;

namespace Csi.Provisioner.Models;

/// <summary>PersistentVolume spec.</summary>
public sealed class VolumeSpec
{
    public Dictionary<string, string>? Capacity { get; set; }

    public List<string>? AccessModes { get; set; }

    public CsiVolumeSource? Csi { get; set; }

    public string? PersistentVolumeReclaimPolicy { get; set; }

    public string? StorageClassName { get; set; }

    public List<string>? MountOptions { get; set; }

    public string? VolumeMode { get; set; }

    public VolumeNodeAffinity? NodeAffinity { get; set; }

    public ClaimReference? ClaimRef { get; set; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? Other { get; set; }
}
