using System.Text.Json;
using System.Text.Json.Serialization;
using Csi.Kubernetes.Models;

namespace SecretsStore.Driver.Kubernetes.Models;

/// <summary>secrets-store.csi.x-k8s.io/v1 SecretProviderClassPodStatus: what the driver mounted for one pod volume (no spec).</summary>
public sealed class SecretProviderClassPodStatusResource
{
    public const string ApiVersionV1 = "secrets-store.csi.x-k8s.io/v1";
    public const string KindName = "SecretProviderClassPodStatus";

    public string? ApiVersion { get; set; } = ApiVersionV1;

    public string? Kind { get; set; } = KindName;

    public ObjectMeta Metadata { get; set; } = new();

    public SecretProviderClassPodStatusStatus? Status { get; set; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? Other { get; set; }
}
