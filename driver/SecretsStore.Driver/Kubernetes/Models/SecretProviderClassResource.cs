using System.Text.Json;
using System.Text.Json.Serialization;
using Csi.Kubernetes.Models;

namespace SecretsStore.Driver.Kubernetes.Models;

/// <summary>secrets-store.csi.x-k8s.io SecretProviderClass, v1 or v1alpha1 (the same schema; v1alpha1 adds status.byPod).</summary>
public sealed class SecretProviderClassResource
{
    public string? ApiVersion { get; set; }

    public string? Kind { get; set; }

    public ObjectMeta Metadata { get; set; } = new();

    public SecretProviderClassSpec? Spec { get; set; }

    public SecretProviderClassStatus? Status { get; set; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? Other { get; set; }
}
