using System.Text.Json.Serialization;

namespace Csi.Providers.Vault;

/// <summary>Vault's error body: {"errors":["..."]}.</summary>
internal sealed class VaultErrorResponse
{
    [JsonPropertyName("errors")]
    public IReadOnlyList<string>? Errors { get; set; }
}
