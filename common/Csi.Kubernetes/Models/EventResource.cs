namespace Csi.Kubernetes.Models;

/// <summary>core/v1 Event, as client-go's event recorder writes it (count and first/last timestamps, no series).</summary>
public sealed class EventResource : IKubernetesObject
{
    public string? ApiVersion { get; set; } = "v1";

    public string? Kind { get; set; } = "Event";

    public ObjectMeta Metadata { get; set; } = new();

    public ObjectReference? InvolvedObject { get; set; }

    public string? Reason { get; set; }

    public string? Message { get; set; }

    public EventSource? Source { get; set; }

    public string? FirstTimestamp { get; set; }

    public string? LastTimestamp { get; set; }

    public int? Count { get; set; }

    public string? Type { get; set; }

    public string? ReportingComponent { get; set; }

    public string? ReportingInstance { get; set; }
}
