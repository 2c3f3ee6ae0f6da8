namespace Csi.ProviderHost;

/// <summary>A pod's service-account token for one audience, as kubelet minted it.</summary>
public sealed record ServiceAccountToken(string Audience, string Token, DateTimeOffset? ExpiresAt)
{
    /// <summary>Never prints the token.</summary>
    public override string ToString() => $"ServiceAccountToken {{ Audience = {Audience}, ExpiresAt = {ExpiresAt:O} }}";
}
