using System.Text.Json;
using System.Text.Json.Serialization;

namespace Csi.Provisioner.Models;

/// <summary>A claim's dataSource or dataSourceRef.</summary>
public sealed class TypedObjectReference
{
    public string? ApiGroup { get; set; }

    public string? Kind { get; set; }

    public string? Name { get; set; }

    public string? Namespace { get; set; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? Other { get; set; }
}
