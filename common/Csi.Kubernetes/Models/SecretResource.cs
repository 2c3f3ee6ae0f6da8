using System.Text.Json;
using System.Text.Json.Serialization;

namespace Csi.Kubernetes.Models;

/// <summary>core/v1 Secret: type and data (base64 on the wire, bytes here); fields the driver does not use ride along on update.</summary>
public sealed class SecretResource : IKubernetesObject
{
    public string? ApiVersion { get; set; } = "v1";

    public string? Kind { get; set; } = "Secret";

    public ObjectMeta Metadata { get; set; } = new();

    public string? Type { get; set; }

    public Dictionary<string, byte[]>? Data { get; set; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? Other { get; set; }
}
