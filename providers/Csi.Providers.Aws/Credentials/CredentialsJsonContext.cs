using System.Text.Json.Serialization;

namespace Csi.Providers.Aws.Credentials;

[JsonSourceGenerationOptions(PropertyNameCaseInsensitive = true)]
[JsonSerializable(typeof(PodIdentityAgentResponse))]
internal sealed partial class CredentialsJsonContext : JsonSerializerContext
{
}
