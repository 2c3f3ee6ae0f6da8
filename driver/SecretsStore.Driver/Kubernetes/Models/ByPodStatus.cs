namespace SecretsStore.Driver.Kubernetes.Models;

/// <summary>v1alpha1 status.byPod[]: a pod that used the class (never written by the driver).</summary>
public sealed class ByPodStatus
{
    public string? Id { get; set; }

    public string? Namespace { get; set; }
}
