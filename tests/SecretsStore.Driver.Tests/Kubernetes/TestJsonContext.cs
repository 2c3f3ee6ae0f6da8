using System.Text.Json.Serialization;
using Csi.Kubernetes.Models;
using SecretsStore.Driver.Kubernetes.Models;

namespace SecretsStore.Driver.Tests.Kubernetes;

/// <summary>Shapes only tests read (the driver's own context holds what the driver uses, nothing more).</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(ResourceList<SecretProviderClassResource>))]
internal sealed partial class TestJsonContext : JsonSerializerContext
{
}
