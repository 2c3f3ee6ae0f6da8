namespace SecretsStore.Driver.Kubernetes.Models;

/// <summary>What token is asked for: audiences, lifetime, and the object it is bound to (the pod).</summary>
public sealed class TokenRequestSpec
{
    public List<string> Audiences { get; set; } = [];

    public long? ExpirationSeconds { get; set; }

    public BoundObjectReference? BoundObjectRef { get; set; }
}
