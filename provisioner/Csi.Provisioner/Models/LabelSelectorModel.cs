using System.Text.Json;
using System.Text.Json.Serialization;

namespace Csi.Provisioner.Models;

/// <summary>meta/v1 LabelSelector; only matchLabels is written (the other fields are kept as read).</summary>
public sealed class LabelSelectorModel
{
    public Dictionary<string, string>? MatchLabels { get; set; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? Other { get; set; }
}
