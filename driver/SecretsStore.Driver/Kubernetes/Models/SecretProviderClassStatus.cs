namespace SecretsStore.Driver.Kubernetes.Models;

/// <summary>SecretProviderClass status: empty in v1; v1alpha1 keeps an unused byPod list.</summary>
public sealed class SecretProviderClassStatus
{
    public List<ByPodStatus?>? ByPod { get; set; }
}
