using System.Text.Json;
using System.Text.Json.Serialization;

namespace Csi.Provisioner.Models;

/// <summary>A PersistentVolume's spec.csi.</summary>
public sealed class CsiVolumeSource
{
    public string? Driver { get; set; }

    public string? VolumeHandle { get; set; }

    public bool? ReadOnly { get; set; }

    public string? FsType { get; set; }

    public Dictionary<string, string>? VolumeAttributes { get; set; }

    public SecretReference? ControllerPublishSecretRef { get; set; }

    public SecretReference? NodeStageSecretRef { get; set; }

    public SecretReference? NodePublishSecretRef { get; set; }

    public SecretReference? ControllerExpandSecretRef { get; set; }

    public SecretReference? NodeExpandSecretRef { get; set; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? Other { get; set; }
}
