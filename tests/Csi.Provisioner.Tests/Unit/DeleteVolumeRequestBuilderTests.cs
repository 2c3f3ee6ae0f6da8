using Csi.Provisioner.Provisioning;

namespace Csi.Provisioner.Tests.Unit;

public sealed class DeleteVolumeRequestBuilderTests
{
    [Fact]
    public void Carries_the_volume_handle_and_every_deletion_secret()
    {
        var request = DeleteVolumeRequestBuilder.Build("vol-7", new Dictionary<string, string> { ["user"] = "admin", ["key"] = "k1" });

        Assert.Equal("vol-7", request.VolumeId);
        Assert.Equal(2, request.Secrets.Count);
        Assert.Equal("admin", request.Secrets["user"]);
        Assert.Equal("k1", request.Secrets["key"]);
    }

    [Fact]
    public void Without_secrets_sends_none()
    {
        var request = DeleteVolumeRequestBuilder.Build("vol-7", null);

        Assert.Equal("vol-7", request.VolumeId);
        Assert.Empty(request.Secrets);
    }
}
