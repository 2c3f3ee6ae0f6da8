using System.Text.Json.Serialization;

namespace LocalVolume.Driver.State;

[JsonSourceGenerationOptions(WriteIndented = true, UseStringEnumConverter = true)]
[JsonSerializable(typeof(PoolState))]
internal sealed partial class StateJsonContext : JsonSerializerContext
{
}
