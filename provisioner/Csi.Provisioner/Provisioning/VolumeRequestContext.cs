using Csi.Provisioner.Models;
using Csi.V1;

namespace Csi.Provisioner.Provisioning;

/// <summary>Everything one CreateVolume request and its PersistentVolume are built from.</summary>
public sealed record VolumeRequestContext(
    string DriverName,
    string VolumeName,
    PersistentVolumeClaim Claim,
    StorageClass Class,
    ClassParameters Parameters)
{
    public bool ExtraCreateMetadata { get; init; }

    public string DefaultFsType { get; init; } = string.Empty;

    public bool SingleNodeMultiWriter { get; init; }

    public TopologyRequirement? Topology { get; init; }

    public VolumeContentSource? ContentSource { get; init; }

    /// <summary>The provisioner secret's data, sent as CreateVolume's secrets.</summary>
    public IReadOnlyDictionary<string, string>? ProvisionerSecrets { get; init; }

    /// <summary>The resolved secret references, by kind (the provisioner's goes on the PV's annotations, the others into spec.csi).</summary>
    public IReadOnlyDictionary<SecretKind, SecretReference> SecretReferences { get; init; } = new Dictionary<SecretKind, SecretReference>();

    public string ProvisionerIdentity { get; init; } = string.Empty;

    public bool IsBlock => Claim.Spec.VolumeMode == "Block";
}
