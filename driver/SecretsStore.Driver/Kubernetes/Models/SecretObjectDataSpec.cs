namespace SecretsStore.Driver.Kubernetes.Models;

/// <summary>spec.secretObjects[].data[]: a Secret key and the mounted file (objectName) it holds.</summary>
public sealed class SecretObjectDataSpec
{
    public string? ObjectName { get; set; }

    public string? Key { get; set; }
}
