namespace SecretsStore.Driver.Kubernetes.Models;

/// <summary>status.objects[]: an object id and its version.</summary>
public sealed class SecretProviderClassObject
{
    public string? Id { get; set; }

    public string? Version { get; set; }
}
