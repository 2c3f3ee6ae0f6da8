namespace Csi.Kubernetes.Models;

/// <summary>A list answer: items plus the resourceVersion a watch resumes from.</summary>
public sealed class ResourceList<T>
{
    public string? ApiVersion { get; set; }

    public string? Kind { get; set; }

    public ListMeta? Metadata { get; set; }

    public List<T> Items { get; set; } = [];
}
