namespace SecretsStore.Driver.Kubernetes.Models;

/// <summary>The issued token and when it expires.</summary>
public sealed class TokenRequestStatus
{
    public string Token { get; set; } = string.Empty;

    public DateTimeOffset ExpirationTimestamp { get; set; }
}
