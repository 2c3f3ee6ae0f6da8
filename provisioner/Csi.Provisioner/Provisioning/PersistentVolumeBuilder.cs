using Csi.Kubernetes.Models;
using Csi.Provisioner.Models;
using Csi.V1;

namespace Csi.Provisioner.Provisioning;

/// <summary>Builds the PersistentVolume for a created volume, as upstream writes it.</summary>
public static class PersistentVolumeBuilder
{
    public static PersistentVolume Build(VolumeRequestContext context, Volume volume)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(volume);
        var claim = context.Claim;
        var capacity = volume.CapacityBytes > 0 ? volume.CapacityBytes : CreateVolumeRequestBuilder.RequestedBytes(context);

        var annotations = new Dictionary<string, string>(StringComparer.Ordinal) { [Annotations.ProvisionedBy] = context.DriverName };
        if (context.SecretReferences.TryGetValue(SecretKind.Provisioner, out var provisionerSecret))
        {
            annotations[Annotations.DeletionSecretName] = provisionerSecret.Name ?? string.Empty;
            annotations[Annotations.DeletionSecretNamespace] = provisionerSecret.Namespace ?? string.Empty;
        }
        var metadata = new ObjectMeta { Name = context.VolumeName, Annotations = annotations, Finalizers = [Annotations.VolumeFinalizer] };

        var attributes = new Dictionary<string, string>(volume.VolumeContext, StringComparer.Ordinal);
        if (context.ProvisionerIdentity.Length > 0)
        {
            attributes[Annotations.ProvisionerIdentity] = context.ProvisionerIdentity;
        }
        var fsType = context.IsBlock ? null : CreateVolumeRequestBuilder.FsType(context);
        var csi = new CsiVolumeSource
        {
            Driver = context.DriverName,
            VolumeHandle = volume.VolumeId,
            VolumeAttributes = attributes,
            FsType = string.IsNullOrEmpty(fsType) ? null : fsType,
            ControllerPublishSecretRef = Reference(context, SecretKind.ControllerPublish),
            NodeStageSecretRef = Reference(context, SecretKind.NodeStage),
            NodePublishSecretRef = Reference(context, SecretKind.NodePublish),
            ControllerExpandSecretRef = Reference(context, SecretKind.ControllerExpand),
            NodeExpandSecretRef = Reference(context, SecretKind.NodeExpand),
        };

        return new PersistentVolume
        {
            Metadata = metadata,
            Spec = new VolumeSpec
            {
                Capacity = new Dictionary<string, string>(StringComparer.Ordinal) { ["storage"] = Quantity.FormatBytes(capacity) },
                AccessModes = [.. claim.Spec.AccessModes ?? []],
                Csi = csi,
                PersistentVolumeReclaimPolicy = context.Class.ReclaimPolicy is { Length: > 0 } policy ? policy : "Delete",
                StorageClassName = context.Class.Metadata.Name,
                MountOptions = context.Class.MountOptions is { Count: > 0 } options ? [.. options] : null,
                VolumeMode = context.IsBlock ? "Block" : "Filesystem",
                NodeAffinity = NodeAffinity(volume),
                ClaimRef = new ClaimReference
                {
                    ApiVersion = "v1",
                    Kind = "PersistentVolumeClaim",
                    Namespace = claim.Metadata.Namespace,
                    Name = claim.Metadata.Name,
                    Uid = claim.Metadata.Uid,
                    ResourceVersion = claim.Metadata.ResourceVersion,
                },
            },
        };
    }

    /// <summary>One node selector term per accessible segment (terms are ORed, a segment's keys ANDed).</summary>
    public static VolumeNodeAffinity? NodeAffinity(Volume volume)
    {
        ArgumentNullException.ThrowIfNull(volume);
        var terms = volume.AccessibleTopology
            .Where(t => t.Segments.Count > 0)
            .Select(t => new NodeSelectorTerm
            {
                MatchExpressions = [.. t.Segments.OrderBy(s => s.Key, StringComparer.Ordinal).Select(s => new NodeSelectorRequirement { Key = s.Key, Operator = "In", Values = [s.Value] })],
            })
            .ToList();
        return terms.Count == 0 ? null : new VolumeNodeAffinity { Required = new NodeSelector { NodeSelectorTerms = terms } };
    }

    private static SecretReference? Reference(VolumeRequestContext context, SecretKind kind)
        => context.SecretReferences.TryGetValue(kind, out var reference) ? reference : null;
}
