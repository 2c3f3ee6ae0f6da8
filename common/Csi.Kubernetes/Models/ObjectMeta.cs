using System.Text.Json;
using System.Text.Json.Serialization;

namespace Csi.Kubernetes.Models;

/// <summary>metadata of a Kubernetes object; fields the driver does not use are kept so that an update sends them back.</summary>
public sealed class ObjectMeta
{
    public string? Name { get; set; }

    public string? Namespace { get; set; }

    public string? GenerateName { get; set; }

    public string? Uid { get; set; }

    public string? ResourceVersion { get; set; }

    public long? Generation { get; set; }

    public Dictionary<string, string>? Labels { get; set; }

    public Dictionary<string, string>? Annotations { get; set; }

    public List<OwnerReference>? OwnerReferences { get; set; }

    public List<string>? Finalizers { get; set; }

    public string? CreationTimestamp { get; set; }

    /// <summary>Set when the object is being deleted and waits for its finalizers.</summary>
    public string? DeletionTimestamp { get; set; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? Other { get; set; }
}
