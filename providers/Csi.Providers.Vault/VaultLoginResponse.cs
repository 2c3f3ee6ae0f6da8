using System.Text.Json.Serialization;

namespace Csi.Providers.Vault;

/// <summary>The part of a login response the provider uses: the auth block.</summary>
internal sealed class VaultLoginResponse
{
    [JsonPropertyName("auth")]
    public VaultLoginAuth? Auth { get; set; }
}
