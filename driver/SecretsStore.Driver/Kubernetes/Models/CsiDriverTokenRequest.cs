namespace SecretsStore.Driver.Kubernetes.Models;

/// <summary>One entry of CSIDriver <c>spec.tokenRequests</c>: a token for this audience, valid this long (kubelet's default: 1h).</summary>
public sealed class CsiDriverTokenRequest
{
    public string Audience { get; set; } = string.Empty;

    public long? ExpirationSeconds { get; set; }
}
