using System.Text.Json.Serialization;
using Csi.Kubernetes.Models;
using SecretsStore.Driver.Kubernetes.Models;

namespace SecretsStore.Driver.Kubernetes;

/// <summary>
/// Source-generated JSON for the driver's own kinds (SecretProviderClass, SecretProviderClassPodStatus), beside the
/// core shapes of <see cref="Csi.Kubernetes.KubernetesJsonContext"/>; metadata only, for the binary's size budget.
/// </summary>
[JsonSourceGenerationOptions(
    GenerationMode = JsonSourceGenerationMode.Metadata,
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    PropertyNameCaseInsensitive = false)]
[JsonSerializable(typeof(SecretProviderClassResource))]
[JsonSerializable(typeof(SecretProviderClassPodStatusResource))]
[JsonSerializable(typeof(ResourceList<SecretProviderClassPodStatusResource>))]
[JsonSerializable(typeof(CsiDriverResource))]
[JsonSerializable(typeof(TokenRequestResource))]
internal sealed partial class SecretsStoreJsonContext : JsonSerializerContext
{
}
