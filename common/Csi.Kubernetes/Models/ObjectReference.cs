namespace Csi.Kubernetes.Models;

/// <summary>core/v1 ObjectReference: what an Event is about.</summary>
public sealed class ObjectReference
{
    public string? ApiVersion { get; set; }

    public string? Kind { get; set; }

    public string? Namespace { get; set; }

    public string? Name { get; set; }

    public string? Uid { get; set; }
}
