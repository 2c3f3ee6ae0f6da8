using System.Text.Json;
using System.Text.Json.Serialization;

namespace Csi.Providers.Vault;

/// <summary>Vault's response envelope (api.Secret). <see cref="Data"/> and the rest stay raw JSON for output.</summary>
internal sealed class VaultSecretResponse
{
    [JsonPropertyName("request_id")]
    public string? RequestId { get; set; }

    [JsonPropertyName("lease_id")]
    public string? LeaseId { get; set; }

    [JsonPropertyName("lease_duration")]
    public long LeaseDuration { get; set; }

    [JsonPropertyName("renewable")]
    public bool Renewable { get; set; }

    [JsonPropertyName("data")]
    public JsonElement? Data { get; set; }

    [JsonPropertyName("warnings")]
    public JsonElement? Warnings { get; set; }

    [JsonPropertyName("auth")]
    public JsonElement? Auth { get; set; }

    [JsonPropertyName("wrap_info")]
    public JsonElement? WrapInfo { get; set; }

    [JsonPropertyName("mount_type")]
    public string? MountType { get; set; }

    /// <summary>A copy with an empty request_id.</summary>
    public VaultSecretResponse WithoutRequestId() => new()
    {
        LeaseId = LeaseId,
        LeaseDuration = LeaseDuration,
        Renewable = Renewable,
        Data = Data,
        Warnings = Warnings,
        Auth = Auth,
        WrapInfo = WrapInfo,
        MountType = MountType,
    };

    /// <summary>Never prints the data.</summary>
    public override string ToString() => $"VaultSecretResponse {{ RequestId = {RequestId}, LeaseDuration = {LeaseDuration}, MountType = {MountType} }}";
}
