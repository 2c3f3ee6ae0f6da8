using Csi.Provisioner.Models;
using Csi.Provisioner.Provisioning;
using Csi.V1;

namespace Csi.Provisioner.Tests.Unit;

public class PersistentVolumeBuilderTests
{
    private static Volume CreatedVolume(long bytes = 0)
    {
        var volume = new Volume { VolumeId = "vol-1", CapacityBytes = bytes };
        volume.VolumeContext.Add("pool", "fast");
        volume.AccessibleTopology.Add(new Topology { Segments = { [Objects.TopologyKey] = "node-1" } });
        return volume;
    }

    [Fact]
    public void Build_WritesThePersistentVolumeAsUpstreamDoes()
    {
        var storageClass = Objects.Class(new() { ["csi.storage.k8s.io/fstype"] = "ext4" }, reclaimPolicy: "Retain", mountOptions: ["noatime"]);
        var context = Objects.Context(storageClass: storageClass) with { ProvisionerIdentity = "123-4567-" + Objects.Driver };
        var pv = PersistentVolumeBuilder.Build(context, CreatedVolume(2L << 30));

        Assert.Equal(context.VolumeName, pv.Metadata.Name);
        Assert.Equal(Objects.Driver, pv.Metadata.Annotations![Annotations.ProvisionedBy]);
        Assert.Equal([Annotations.VolumeFinalizer], pv.Metadata.Finalizers);
        Assert.Equal("2Gi", pv.Spec.Capacity!["storage"]);
        Assert.Equal(["ReadWriteOnce"], pv.Spec.AccessModes);
        Assert.Equal("Retain", pv.Spec.PersistentVolumeReclaimPolicy);
        Assert.Equal("fast", pv.Spec.StorageClassName);
        Assert.Equal(["noatime"], pv.Spec.MountOptions);
        Assert.Equal("Filesystem", pv.Spec.VolumeMode);
        Assert.Equal(Objects.Driver, pv.Spec.Csi!.Driver);
        Assert.Equal("vol-1", pv.Spec.Csi.VolumeHandle);
        Assert.Equal("ext4", pv.Spec.Csi.FsType);
        Assert.Equal("fast", pv.Spec.Csi.VolumeAttributes!["pool"]);
        Assert.Equal(context.ProvisionerIdentity, pv.Spec.Csi.VolumeAttributes[Annotations.ProvisionerIdentity]);
        var expression = Assert.Single(Assert.Single(pv.Spec.NodeAffinity!.Required!.NodeSelectorTerms).MatchExpressions!);
        Assert.Equal((Objects.TopologyKey, "In", "node-1"), (expression.Key, expression.Operator, Assert.Single(expression.Values!)));
        Assert.Equal(("v1", "PersistentVolumeClaim", "apps", "data", "11111111-2222-3333-4444-555555555555", "42"),
            (pv.Spec.ClaimRef!.ApiVersion, pv.Spec.ClaimRef.Kind, pv.Spec.ClaimRef.Namespace, pv.Spec.ClaimRef.Name, pv.Spec.ClaimRef.Uid, pv.Spec.ClaimRef.ResourceVersion));
    }

    [Fact]
    public void Build_WithoutCapacityInTheAnswer_UsesTheRequestedSize_AndDefaultsReclaimToDelete()
    {
        var pv = PersistentVolumeBuilder.Build(Objects.Context(Objects.Claim("3Mi")), CreatedVolume());
        Assert.Equal("3Mi", pv.Spec.Capacity!["storage"]);
        Assert.Equal("Delete", pv.Spec.PersistentVolumeReclaimPolicy);
        Assert.Null(pv.Spec.Csi!.FsType);
    }

    [Fact]
    public void Build_SecretReferences_GoToAnnotationsAndSpec()
    {
        var context = Objects.Context() with
        {
            SecretReferences = new Dictionary<SecretKind, SecretReference>
            {
                [SecretKind.Provisioner] = new() { Name = "p", Namespace = "ns" },
                [SecretKind.NodeStage] = new() { Name = "s", Namespace = "ns" },
            },
        };
        var pv = PersistentVolumeBuilder.Build(context, CreatedVolume());
        Assert.Equal("p", pv.Metadata.Annotations![Annotations.DeletionSecretName]);
        Assert.Equal("ns", pv.Metadata.Annotations[Annotations.DeletionSecretNamespace]);
        Assert.Equal("s", pv.Spec.Csi!.NodeStageSecretRef!.Name);
        Assert.Null(pv.Spec.Csi.NodePublishSecretRef);
    }

    [Fact]
    public void Build_BlockClaim_HasBlockModeAndNoFsType()
    {
        var pv = PersistentVolumeBuilder.Build(Objects.Context(Objects.Claim(volumeMode: "Block")) with { DefaultFsType = "ext4" }, CreatedVolume());
        Assert.Equal("Block", pv.Spec.VolumeMode);
        Assert.Null(pv.Spec.Csi!.FsType);
    }
}
