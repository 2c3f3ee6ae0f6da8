namespace Csi.Providers.Aws.Kubernetes;

/// <summary>The one field of a pod's spec the provider reads.</summary>
internal sealed class PodNodeSpec
{
    public string? NodeName { get; set; }
}
