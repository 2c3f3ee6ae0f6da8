namespace Csi.Provisioner.Models;

/// <summary>A PersistentVolume's claimRef (an ObjectReference with the claim's resourceVersion).</summary>
public sealed class ClaimReference
{
    public string? ApiVersion { get; set; }

    public string? Kind { get; set; }

    public string? Namespace { get; set; }

    public string? Name { get; set; }

    public string? Uid { get; set; }

    public string? ResourceVersion { get; set; }
}
