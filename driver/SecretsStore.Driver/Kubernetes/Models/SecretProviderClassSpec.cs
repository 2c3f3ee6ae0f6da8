namespace SecretsStore.Driver.Kubernetes.Models;

/// <summary>SecretProviderClass spec: the provider, its opaque parameters, and the Secrets to sync.</summary>
public sealed class SecretProviderClassSpec
{
    public string? Provider { get; set; }

    public Dictionary<string, string>? Parameters { get; set; }

    public List<SecretObjectSpec?>? SecretObjects { get; set; }
}
