using System.Text.Json;
using Csi.V1;

namespace Csi.Client.Tests;

public class BuildPublishRequestTests
{
    private static readonly DateTimeOffset Expiry = new(2030, 1, 2, 3, 4, 5, TimeSpan.Zero);

    private static PublishOptions Minimal => new() { VolumeId = "vol-1", TargetPath = "/pods/p/volumes/v/mount" };

    [Fact]
    public void Defaults_to_a_mount_volume_with_single_node_writer()
    {
        var request = CsiClient.BuildPublishRequest(Minimal);

        Assert.Equal("vol-1", request.VolumeId);
        Assert.Equal("/pods/p/volumes/v/mount", request.TargetPath);
        Assert.False(request.Readonly);
        Assert.Equal(VolumeCapability.AccessTypeOneofCase.Mount, request.VolumeCapability.AccessTypeCase);
        Assert.Equal(VolumeCapability.Types.AccessMode.Types.Mode.SingleNodeWriter, request.VolumeCapability.AccessMode.Mode);
        Assert.Empty(request.VolumeContext);
        Assert.Empty(request.Secrets);
    }

    [Fact]
    public void Carries_the_capability_the_options_describe()
    {
        var request = CsiClient.BuildPublishRequest(Minimal with
        {
            Readonly = true,
            FsType = "ext4",
            MountFlags = ["ro", "noexec"],
            AccessMode = VolumeCapability.Types.AccessMode.Types.Mode.SingleNodeReaderOnly,
        });

        Assert.True(request.Readonly);
        Assert.Equal("ext4", request.VolumeCapability.Mount.FsType);
        Assert.Equal(["ro", "noexec"], request.VolumeCapability.Mount.MountFlags);
        Assert.Equal(VolumeCapability.Types.AccessMode.Types.Mode.SingleNodeReaderOnly, request.VolumeCapability.AccessMode.Mode);
    }

    [Fact]
    public void Adds_attributes_and_kubelet_pod_info_to_the_volume_context()
    {
        var request = CsiClient.BuildPublishRequest(Minimal with
        {
            Attributes = new Dictionary<string, string> { ["secretProviderClass"] = "spc" },
            PodName = "web-0",
            PodNamespace = "default",
            PodUid = "1234",
            ServiceAccountName = "web",
        });

        Assert.Equal("spc", request.VolumeContext["secretProviderClass"]);
        Assert.Equal("web-0", request.VolumeContext["csi.storage.k8s.io/pod.name"]);
        Assert.Equal("default", request.VolumeContext["csi.storage.k8s.io/pod.namespace"]);
        Assert.Equal("1234", request.VolumeContext["csi.storage.k8s.io/pod.uid"]);
        Assert.Equal("web", request.VolumeContext["csi.storage.k8s.io/serviceAccount.name"]);
        Assert.Equal("true", request.VolumeContext["csi.storage.k8s.io/ephemeral"]);
        Assert.False(request.VolumeContext.ContainsKey("csi.storage.k8s.io/serviceAccount.tokens"));
    }

    [Fact]
    public void Puts_tokens_in_the_volume_context_as_kubelet_json()
    {
        var request = CsiClient.BuildPublishRequest(Minimal with
        {
            Tokens = new Dictionary<string, string> { ["api://aud"] = "tok-1", [""] = "tok-2" },
            TokenExpiration = Expiry,
        });

        using var json = JsonDocument.Parse(request.VolumeContext["csi.storage.k8s.io/serviceAccount.tokens"]);
        var audience = json.RootElement.GetProperty("api://aud");
        Assert.Equal("tok-1", audience.GetProperty("token").GetString());
        Assert.Equal("2030-01-02T03:04:05Z", audience.GetProperty("expirationTimestamp").GetString());
        Assert.Equal("tok-2", json.RootElement.GetProperty("").GetProperty("token").GetString());
        Assert.Empty(request.Secrets);
    }

    [Fact]
    public void Tokens_in_secrets_moves_the_tokens_out_of_the_volume_context()
    {
        var request = CsiClient.BuildPublishRequest(Minimal with
        {
            Secrets = new Dictionary<string, string> { ["password"] = "hunter2" },
            Tokens = new Dictionary<string, string> { ["aud"] = "tok" },
            TokenExpiration = Expiry,
            TokensInSecrets = true,
        });

        Assert.False(request.VolumeContext.ContainsKey("csi.storage.k8s.io/serviceAccount.tokens"));
        Assert.Equal("hunter2", request.Secrets["password"]);
        Assert.Equal(
            """{"aud":{"token":"tok","expirationTimestamp":"2030-01-02T03:04:05Z"}}""",
            request.Secrets["csi.storage.k8s.io/serviceAccount.tokens"]);
    }

    [Fact]
    public void Token_expiry_defaults_to_the_future()
    {
        var request = CsiClient.BuildPublishRequest(Minimal with { Tokens = new Dictionary<string, string> { ["aud"] = "tok" } });

        using var json = JsonDocument.Parse(request.VolumeContext["csi.storage.k8s.io/serviceAccount.tokens"]);
        var expiry = DateTimeOffset.Parse(json.RootElement.GetProperty("aud").GetProperty("expirationTimestamp").GetString()!);
        Assert.True(expiry > DateTimeOffset.UtcNow);
    }
}
