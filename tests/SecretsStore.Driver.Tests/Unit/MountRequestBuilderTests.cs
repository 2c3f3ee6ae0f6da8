using System.Text.Json;
using Csi.Common;
using SecretsStore.Driver.PodStatuses;
using SecretsStore.Driver.Publishing;
using SecretsStore.Driver.SecretProviderClasses;

namespace SecretsStore.Driver.Tests.Unit;

public class MountRequestBuilderTests
{
    private static readonly SecretProviderClass Spc = new("ns", "spc", "vault",
        new Dictionary<string, string> { ["roleName"] = "db", ["objects"] = "- objectName: a", ["overridden"] = "from-class" }, []);

    [Fact]
    public void Build_OverlaysVolumeContextOnParameters_AndSendsPermission420()
    {
        var request = Request(
            context: new() { ["secretProviderClass"] = "spc", ["csi.storage.k8s.io/pod.name"] = "web", ["overridden"] = "from-pod" },
            secrets: new() { ["clientid"] = "id" });

        var mount = MountRequestBuilder.Build(Spc, request, "/target", []);

        var attributes = JsonSerializer.Deserialize<Dictionary<string, string>>(mount.Attributes)!;
        Assert.Equal("db", attributes["roleName"]);
        Assert.Equal("from-pod", attributes["overridden"]);
        Assert.Equal("web", attributes["csi.storage.k8s.io/pod.name"]);
        Assert.Equal("spc", attributes["secretProviderClass"]);
        Assert.Equal("id", JsonSerializer.Deserialize<Dictionary<string, string>>(mount.Secrets)!["clientid"]);
        Assert.Equal("420", mount.Permission);
        Assert.Equal("/target", mount.TargetPath);
    }

    [Fact]
    public void Build_TokensFromSecrets_AreForwardedInAttributesToo()
    {
        const string tokens = "{\"vault\":{\"token\":\"t\",\"expirationTimestamp\":\"2030-01-01T00:00:00Z\"}}";
        var request = Request(context: new() { ["secretProviderClass"] = "spc" }, secrets: new() { [VolumeContextKeys.ServiceAccountTokens] = tokens });

        var mount = MountRequestBuilder.Build(Spc, request, "/t", []);

        Assert.Equal(tokens, JsonSerializer.Deserialize<Dictionary<string, string>>(mount.Attributes)![VolumeContextKeys.ServiceAccountTokens]);
        Assert.Equal(tokens, JsonSerializer.Deserialize<Dictionary<string, string>>(mount.Secrets)![VolumeContextKeys.ServiceAccountTokens]);
    }

    [Fact]
    public void Build_PassesCurrentObjectVersions()
    {
        var mount = MountRequestBuilder.Build(Spc, Request(new() { ["secretProviderClass"] = "spc" }, []), "/t", [new ObjectVersionRecord("secret/a", "3")]);
        var version = Assert.Single(mount.CurrentObjectVersion);
        Assert.Equal(("secret/a", "3"), (version.Id, version.Version));
    }

    [Fact]
    public void ToJson_RoundTripsQuotesAndNewlines()
    {
        var json = MountRequestBuilder.ToJson(new Dictionary<string, string> { ["a"] = "x\"y\n" });
        Assert.Equal("x\"y\n", JsonSerializer.Deserialize<Dictionary<string, string>>(json)!["a"]);
    }

    private static PublishVolumeRequest Request(Dictionary<string, string> context, Dictionary<string, string> secrets)
        => new("vol", "/t", "spc", "web", "ns", "uid", context, secrets);
}
