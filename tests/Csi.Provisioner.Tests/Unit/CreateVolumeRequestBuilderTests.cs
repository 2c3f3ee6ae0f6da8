using Csi.Provisioner.Provisioning;
using Csi.V1;
using Mode = Csi.V1.VolumeCapability.Types.AccessMode.Types.Mode;

namespace Csi.Provisioner.Tests.Unit;

public class CreateVolumeRequestBuilderTests
{
    [Fact]
    public void Build_TakesNameCapacityAndParametersFromClaimAndClass()
    {
        var storageClass = Objects.Class(new() { ["pool"] = "fast", ["csi.storage.k8s.io/fstype"] = "xfs" }, mountOptions: ["noatime"]);
        var request = CreateVolumeRequestBuilder.Build(Objects.Context(Objects.Claim("2Gi", "4Gi"), storageClass));

        Assert.Equal("pvc-11111111-2222-3333-4444-555555555555", request.Name);
        Assert.Equal(2L << 30, request.CapacityRange.RequiredBytes);
        Assert.Equal(4L << 30, request.CapacityRange.LimitBytes);
        Assert.Equal(new Dictionary<string, string> { ["pool"] = "fast" }, request.Parameters);
        var capability = Assert.Single(request.VolumeCapabilities);
        Assert.Equal(Mode.SingleNodeWriter, capability.AccessMode.Mode);
        Assert.Equal("xfs", capability.Mount.FsType);
        Assert.Equal(["noatime"], capability.Mount.MountFlags);
        Assert.Null(request.AccessibilityRequirements);
    }

    [Fact]
    public void Build_ExtraCreateMetadata_AddsClaimAndVolumeNames()
    {
        var request = CreateVolumeRequestBuilder.Build(Objects.Context() with { ExtraCreateMetadata = true });
        Assert.Equal("data", request.Parameters["csi.storage.k8s.io/pvc/name"]);
        Assert.Equal("apps", request.Parameters["csi.storage.k8s.io/pvc/namespace"]);
        Assert.Equal("pvc-11111111-2222-3333-4444-555555555555", request.Parameters["csi.storage.k8s.io/pv/name"]);
    }

    [Fact]
    public void Build_BlockClaim_AsksForABlockVolumePerAccessMode()
    {
        var request = CreateVolumeRequestBuilder.Build(Objects.Context(Objects.Claim(volumeMode: "Block", accessModes: ["ReadWriteOnce", "ReadOnlyMany"])));
        Assert.Equal(2, request.VolumeCapabilities.Count);
        Assert.All(request.VolumeCapabilities, c => Assert.NotNull(c.Block));
        Assert.Equal(Mode.MultiNodeReaderOnly, request.VolumeCapabilities[1].AccessMode.Mode);
    }

    [Fact]
    public void Build_DefaultFsType_AppliesWhenTheClassNamesNone()
    {
        var request = CreateVolumeRequestBuilder.Build(Objects.Context() with { DefaultFsType = "ext4" });
        Assert.Equal("ext4", request.VolumeCapabilities[0].Mount.FsType);
    }

    [Fact]
    public void Build_SecretsAndTopologyAndSource_GoIntoTheRequest()
    {
        var topology = new TopologyRequirement();
        topology.Requisite.Add(new Topology { Segments = { [Objects.TopologyKey] = "node-1" } });
        var source = new VolumeContentSource { Volume = new VolumeContentSource.Types.VolumeSource { VolumeId = "vol-1" } };
        var request = CreateVolumeRequestBuilder.Build(Objects.Context() with
        {
            ProvisionerSecrets = new Dictionary<string, string> { ["token"] = "t" },
            Topology = topology,
            ContentSource = source,
        });
        Assert.Equal("t", request.Secrets["token"]);
        Assert.Equal("node-1", request.AccessibilityRequirements.Requisite[0].Segments[Objects.TopologyKey]);
        Assert.Equal("vol-1", request.VolumeContentSource.Volume.VolumeId);
    }

    [Theory]
    [InlineData(null, "spec.resources.requests.storage is missing")]
    [InlineData("lots", "\"lots\" is not a quantity")]
    public void Build_BadRequestedSize_NamesTheField(string? size, string expected)
    {
        var claim = Objects.Claim();
        if (size is null)
        {
            claim.Spec.Resources!.Requests!.Clear();
        }
        else
        {
            claim.Spec.Resources!.Requests!["storage"] = size;
        }
        var error = Assert.Throws<ProvisioningException>(() => CreateVolumeRequestBuilder.Build(Objects.Context(claim)));
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Build_UnknownAccessMode_ListsTheKnownOnes()
    {
        var error = Assert.Throws<ProvisioningException>(() => CreateVolumeRequestBuilder.Build(Objects.Context(Objects.Claim(accessModes: ["ReadWriteSometimes"]))));
        Assert.Contains("ReadWriteOncePod", error.Message, StringComparison.Ordinal);
    }
}
