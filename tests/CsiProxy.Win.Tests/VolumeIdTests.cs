using CsiProxy.Win.Paths;

namespace CsiProxy.Win.Tests;

public sealed class VolumeIdTests
{
    [Theory]
    [InlineData(@"\\?\Volume{0A1B2C3D-1111-2222-3333-444455556666}\")]
    [InlineData(@"\\?\Volume{0a1b2c3d-1111-2222-3333-444455556666}")]
    public void Check_returns_the_canonical_form(string id)
        => Assert.Equal(@"\\?\Volume{0a1b2c3d-1111-2222-3333-444455556666}\", VolumeId.Check("volume_id", id));

    [Theory]
    [InlineData("")]
    [InlineData(@"C:\")]
    [InlineData(@"\\?\Volume{not-a-guid}\")]
    [InlineData(@"\\?\Volume{0a1b2c3d-1111-2222-3333-444455556666}\x")]
    [InlineData(@"\\?\Volume{0a1b2c3d-1111-2222-3333-444455556666}' OR '1'='1")]
    [InlineData(@"\\.\Volume{0a1b2c3d-1111-2222-3333-444455556666}\")]
    public void Check_refuses_anything_else_naming_the_field(string id)
    {
        var e = Assert.Throws<ProxyException>(() => VolumeId.Check("volume_id", id));

        Assert.Equal(ProxyErrorCode.InvalidArgument, e.Code);
        Assert.StartsWith("volume_id: ", e.Message);
    }
}
