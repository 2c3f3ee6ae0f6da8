using System.Text.Json.Serialization;

namespace Csi.Providers.Aws.SecretsManager;

[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull, PropertyNameCaseInsensitive = false)]
[JsonSerializable(typeof(GetSecretValueRequest))]
[JsonSerializable(typeof(GetSecretValueResponse))]
[JsonSerializable(typeof(DescribeSecretRequest))]
[JsonSerializable(typeof(DescribeSecretResponse))]
[JsonSerializable(typeof(AwsErrorBody))]
internal sealed partial class SecretsManagerJsonContext : JsonSerializerContext
{
}
