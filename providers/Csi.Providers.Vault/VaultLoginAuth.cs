using System.Text.Json.Serialization;

namespace Csi.Providers.Vault;

/// <summary>A login's auth block: the client token and its lease.</summary>
internal sealed class VaultLoginAuth
{
    [JsonPropertyName("client_token")]
    public string? ClientToken { get; set; }

    [JsonPropertyName("lease_duration")]
    public long LeaseDuration { get; set; }

    [JsonPropertyName("renewable")]
    public bool Renewable { get; set; }

    [JsonPropertyName("policies")]
    public IReadOnlyList<string>? Policies { get; set; }

    /// <summary>Never prints the token.</summary>
    public override string ToString() => $"VaultLoginAuth {{ LeaseDuration = {LeaseDuration}, Renewable = {Renewable} }}";
}
