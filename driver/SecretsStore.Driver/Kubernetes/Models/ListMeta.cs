namespace SecretsStore.Driver.Kubernetes.Models;

/// <summary>metadata of a list: where a watch resumes, and the next page.</summary>
public sealed class ListMeta
{
    public string? ResourceVersion { get; set; }

    public string? Continue { get; set; }
}
