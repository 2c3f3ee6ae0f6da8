using System.Text.Json.Serialization;

namespace Csi.TestProvider;

[JsonSerializable(typeof(Dictionary<string, string>))]
internal sealed partial class TestProviderJsonContext : JsonSerializerContext;
