using Csi.Provisioner.Provisioning;

namespace Csi.Provisioner.Tests.Unit;

public class VolumeNamesTests
{
    private const string Uid = "5f0c2a1e-8d3b-4c7a-9e21-0b6f4d2c9a11";

    [Fact]
    public void For_WithDefaultLength_KeepsTheWholeUid() => Assert.Equal("pvc-" + Uid, VolumeNames.For("pvc", -1, Uid));

    [Fact]
    public void For_WithUuidLength_DropsDashesAndTruncates() => Assert.Equal("vol-5f0c2a1e8d", VolumeNames.For("vol", 10, Uid));

    [Fact]
    public void For_WithLengthBeyondUid_KeepsTheDashlessUid() => Assert.Equal("pvc-5f0c2a1e8d3b4c7a9e210b6f4d2c9a11", VolumeNames.For("pvc", 100, Uid));

    [Fact]
    public void For_SameClaim_IsTheSameNameEveryTime() => Assert.Equal(VolumeNames.For("pvc", -1, Uid), VolumeNames.For("pvc", -1, Uid));
}
