using System.Text;
using System.Text.Json;

namespace Csi.Providers.Vault.Tests.Unit;

public class VaultObjectVersionsTests
{
    private static readonly byte[] Key = Enumerable.Range(0, 32).Select(i => (byte)i).ToArray();

    private static VaultObject Object(string yaml = "- {objectName: a, secretPath: kv/app, secretKey: password}") => Assert.Single(VaultObjectsParser.Parse(yaml));

    [Fact]
    public void For_KvV2_IsTheMetadataVersion()
    {
        var response = JsonSerializer.Deserialize("""{"data":{"data":{"k":"v"},"metadata":{"version":7}}}""", VaultJsonContext.Default.VaultSecretResponse);
        Assert.Equal("7", new VaultObjectVersions(Key).For(Object(), response, "v"u8));
    }

    [Fact]
    public void For_NoKvVersion_IsAStableHmac()
    {
        var response = JsonSerializer.Deserialize("""{"data":{"k":"v"}}""", VaultJsonContext.Default.VaultSecretResponse);
        var first = new VaultObjectVersions(Key).For(Object(), response, "s3cret"u8);
        var again = new VaultObjectVersions(Key).For(Object(), response, "s3cret"u8);

        Assert.Equal(first, again);
        Assert.Matches("^[A-Za-z0-9_-]{43}=$", first);
    }

    [Fact]
    public void Hmac_ChangesWithContentConfigurationAndKey()
    {
        var versions = new VaultObjectVersions(Key);
        var baseline = versions.Hmac(Object(), "s3cret"u8);

        Assert.NotEqual(baseline, versions.Hmac(Object(), "s3cret2"u8));
        Assert.NotEqual(baseline, versions.Hmac(Object("- {objectName: b, secretPath: kv/app, secretKey: password}"), "s3cret"u8));
        Assert.NotEqual(baseline, versions.Hmac(Object("- {objectName: a, secretPath: kv/app, secretKey: password, filePermission: 0600}"), "s3cret"u8));
        Assert.NotEqual(baseline, new VaultObjectVersions().Hmac(Object(), "s3cret"u8));
    }

    [Fact]
    public void Hmac_RevealsNothingAboutTheContent()
    {
        var content = "s3cret"u8.ToArray();
        var version = new VaultObjectVersions(Key).Hmac(Object(), content);
        var plain = Convert.ToBase64String(System.Security.Cryptography.SHA256.HashData(content));

        Assert.DoesNotContain("s3cret", version, StringComparison.Ordinal);
        Assert.DoesNotContain(Convert.ToBase64String(content).TrimEnd('='), version, StringComparison.Ordinal);
        Assert.NotEqual(plain.Replace('+', '-').Replace('/', '_'), version);
        Assert.Equal(32, Convert.FromBase64String(version.Replace('-', '+').Replace('_', '/')).Length);
        Assert.DoesNotContain(Encoding.UTF8.GetString(content), Encoding.UTF8.GetString(Convert.FromBase64String(version.Replace('-', '+').Replace('_', '/'))), StringComparison.Ordinal);
    }

    [Fact]
    public void For_WholeResponse_IgnoresTheRequestId_ButNotTheData()
    {
        var versions = new VaultObjectVersions(Key);
        var whole = Object("- {objectName: a, secretPath: kv/app}");
        string Version(string json)
        {
            var response = JsonSerializer.Deserialize(json, VaultJsonContext.Default.VaultSecretResponse)!;
            return versions.For(whole, response, GoJson.MarshalSecret(response));
        }

        Assert.Equal(Version("""{"request_id":"1","data":{"k":"v"}}"""), Version("""{"request_id":"2","data":{"k":"v"}}"""));
        Assert.NotEqual(Version("""{"request_id":"1","data":{"k":"v"}}"""), Version("""{"request_id":"1","data":{"k":"w"}}"""));
    }

    [Theory]
    [InlineData("""{"data":{"data":{"k":"v"}}}""")]
    [InlineData("""{"data":{"metadata":{"version":1}}}""")]
    [InlineData("""{"data":{"data":{},"metadata":{"version":"1"}}}""")]
    [InlineData("""{"data":null}""")]
    public void KvVersion_OnlyForKvV2Reads(string json)
        => Assert.Null(VaultObjectVersions.KvVersion(JsonSerializer.Deserialize(json, VaultJsonContext.Default.VaultSecretResponse)));
}
