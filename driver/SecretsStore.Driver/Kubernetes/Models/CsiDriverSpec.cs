namespace SecretsStore.Driver.Kubernetes.Models;

/// <summary>The part of a CSIDriver's spec the rotation reconciler needs.</summary>
public sealed class CsiDriverSpec
{
    public List<CsiDriverTokenRequest>? TokenRequests { get; set; }
}
