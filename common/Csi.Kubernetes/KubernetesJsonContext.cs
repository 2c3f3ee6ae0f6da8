using System.Text.Json.Serialization;
using Csi.Kubernetes.Models;

namespace Csi.Kubernetes;

/// <summary>
/// Source-generated JSON for the core shapes every binary reads and writes (AOT-safe, no reflection); metadata
/// only, no fast-path writers: the objects are small and the binaries have size budgets. A binary's own kinds
/// live in a context of its own.
/// </summary>
[JsonSourceGenerationOptions(
    GenerationMode = JsonSourceGenerationMode.Metadata,
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    PropertyNameCaseInsensitive = false)]
[JsonSerializable(typeof(ApiStatus))]
[JsonSerializable(typeof(SecretResource))]
[JsonSerializable(typeof(ObjectMetadataResource))]
[JsonSerializable(typeof(ResourceList<ObjectMetadataResource>))]
[JsonSerializable(typeof(EventResource))]
[JsonSerializable(typeof(LeaseResource))]
public sealed partial class KubernetesJsonContext : JsonSerializerContext
{
}
