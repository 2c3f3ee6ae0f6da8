namespace Csi.Kubernetes.Models;

/// <summary>core/v1 EventSource: the component that reported an Event, and on which host.</summary>
public sealed class EventSource
{
    public string? Component { get; set; }

    public string? Host { get; set; }
}
