using System.Text.Json.Serialization;

namespace Csi.Providers.Aws.Kubernetes;

/// <summary>Source-generated JSON for the pod shape the provider reads (service accounts and nodes are read for metadata only).</summary>
[JsonSourceGenerationOptions(GenerationMode = JsonSourceGenerationMode.Metadata, PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(PodNodeResource))]
internal sealed partial class AwsKubernetesJsonContext : JsonSerializerContext
{
}
