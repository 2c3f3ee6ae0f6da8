using System.Text.Json.Serialization;
using SecretsStore.Driver.Kubernetes.Models;

namespace SecretsStore.Driver.Kubernetes;

/// <summary>
/// Source-generated JSON for the few Kubernetes shapes the driver reads and writes (AOT-safe, no reflection);
/// metadata only, no fast-path writers: the objects are small and the binary has a size budget.
/// </summary>
[JsonSourceGenerationOptions(
    GenerationMode = JsonSourceGenerationMode.Metadata,
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    PropertyNameCaseInsensitive = false)]
[JsonSerializable(typeof(ApiStatus))]
[JsonSerializable(typeof(SecretProviderClassResource))]
[JsonSerializable(typeof(SecretProviderClassPodStatusResource))]
[JsonSerializable(typeof(ResourceList<SecretProviderClassPodStatusResource>))]
[JsonSerializable(typeof(SecretResource))]
[JsonSerializable(typeof(ObjectMetadataResource))]
[JsonSerializable(typeof(ResourceList<ObjectMetadataResource>))]
[JsonSerializable(typeof(EventResource))]
internal sealed partial class KubernetesJsonContext : JsonSerializerContext
{
}
