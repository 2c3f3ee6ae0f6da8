namespace SecretsStore.Driver.Kubernetes.Models;

/// <summary>The object a requested token is bound to: it stops being valid when that object is deleted.</summary>
public sealed class BoundObjectReference
{
    public string Kind { get; set; } = string.Empty;

    public string ApiVersion { get; set; } = string.Empty;

    public string Name { get; set; } = string.Empty;

    public string Uid { get; set; } = string.Empty;
}
