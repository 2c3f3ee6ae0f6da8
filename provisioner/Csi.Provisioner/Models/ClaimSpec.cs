using System.Text.Json;
using System.Text.Json.Serialization;

namespace Csi.Provisioner.Models;

/// <summary>PersistentVolumeClaim spec.</summary>
public sealed class ClaimSpec
{
    public List<string>? AccessModes { get; set; }

    public ResourceRequirements? Resources { get; set; }

    public string? StorageClassName { get; set; }

    public string? VolumeName { get; set; }

    public string? VolumeMode { get; set; }

    /// <summary>Kept raw: a claim with a selector is refused, its content is not read.</summary>
    public JsonElement? Selector { get; set; }

    public TypedObjectReference? DataSource { get; set; }

    public TypedObjectReference? DataSourceRef { get; set; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? Other { get; set; }
}
