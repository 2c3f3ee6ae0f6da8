namespace SecretsStore.Driver.Kubernetes.Models;

/// <summary>SecretProviderClassPodStatus status: pod, class, target path and the object versions mounted.</summary>
public sealed class SecretProviderClassPodStatusStatus
{
    public string? PodName { get; set; }

    public string? SecretProviderClassName { get; set; }

    public bool? Mounted { get; set; }

    public string? TargetPath { get; set; }

    public List<SecretProviderClassObject>? Objects { get; set; }
}
