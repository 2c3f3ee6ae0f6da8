namespace Csi.Kubernetes.Models;

/// <summary>The API server's v1 Status body: why a request failed.</summary>
public sealed class ApiStatus
{
    public string? Kind { get; set; }

    public string? Status { get; set; }

    public string? Message { get; set; }

    public string? Reason { get; set; }

    public int? Code { get; set; }

    public ApiStatusDetails? Details { get; set; }
}
