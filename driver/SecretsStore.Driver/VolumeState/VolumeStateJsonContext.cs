using System.Text.Json.Serialization;

namespace SecretsStore.Driver.VolumeState;

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, WriteIndented = true)]
[JsonSerializable(typeof(VolumeRecord))]
internal sealed partial class VolumeStateJsonContext : JsonSerializerContext
{
}
