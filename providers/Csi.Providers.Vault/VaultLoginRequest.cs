using System.Text.Json.Serialization;

namespace Csi.Providers.Vault;

/// <summary>The body of POST /v1/auth/&lt;mount&gt;/login for the kubernetes and jwt methods alike.</summary>
internal sealed class VaultLoginRequest
{
    [JsonPropertyName("jwt")]
    public required string Jwt { get; init; }

    [JsonPropertyName("role")]
    public required string Role { get; init; }

    /// <summary>Never prints the token.</summary>
    public override string ToString() => $"VaultLoginRequest {{ Role = {Role} }}";
}
