namespace SecretsStore.Driver.Kubernetes.Models;

/// <summary>spec.secretObjects[]: a Kubernetes Secret built from mounted files.</summary>
public sealed class SecretObjectSpec
{
    public string? SecretName { get; set; }

    public string? Type { get; set; }

    public Dictionary<string, string>? Labels { get; set; }

    public Dictionary<string, string>? Annotations { get; set; }

    public List<SecretObjectDataSpec?>? Data { get; set; }
}
