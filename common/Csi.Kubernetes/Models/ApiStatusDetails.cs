namespace Csi.Kubernetes.Models;

/// <summary>Status.details: which object the failure is about (absent when the path itself is not served).</summary>
public sealed class ApiStatusDetails
{
    public string? Name { get; set; }

    public string? Group { get; set; }

    public string? Kind { get; set; }

    public int? RetryAfterSeconds { get; set; }
}
