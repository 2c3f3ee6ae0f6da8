using System.Text.Json.Serialization;

namespace Csi.Providers.Vault;

/// <summary>Source-generated JSON for the Vault API models: no reflection, Native AOT safe.</summary>
[JsonSourceGenerationOptions(NumberHandling = JsonNumberHandling.Strict)]
[JsonSerializable(typeof(VaultSecretResponse))]
[JsonSerializable(typeof(VaultLoginResponse))]
[JsonSerializable(typeof(VaultLoginRequest))]
[JsonSerializable(typeof(VaultErrorResponse))]
internal sealed partial class VaultJsonContext : JsonSerializerContext;
