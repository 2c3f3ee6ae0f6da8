namespace Csi.Kubernetes.Models;

/// <summary>metadata of a list: where a watch resumes, and the next page.</summary>
public sealed class ListMeta
{
    public string? ResourceVersion { get; set; }

    public string? Continue { get; set; }
}
