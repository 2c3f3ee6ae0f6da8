using System.Text;
using System.Text.Json;
using Csi.ProviderHost;

namespace Csi.Providers.Vault.Tests.Unit;

public class VaultSecretContentTests
{
    private const string KvV2 = """
        {"request_id":"r1","lease_id":"","renewable":false,"lease_duration":0,
         "data":{"data":{"password":"s3cret","port":5432,"nested":{"b":1,"a":[true,null]},"enc64":"aGVsbG8=","enchex":"68656c6c6f","bad":"!!"},
                 "metadata":{"version":3,"created_time":"2024-01-01T00:00:00Z"}},
         "wrap_info":null,"warnings":null,"auth":null,"mount_type":"kv"}
        """;

    private const string KvV1 = """{"request_id":"r2","lease_id":"","renewable":false,"lease_duration":2764800,"data":{"api_key":"k-1","data":"not-a-map"},"warnings":null}""";

    private static VaultSecretResponse Response(string json) => JsonSerializer.Deserialize(json, VaultJsonContext.Default.VaultSecretResponse)!;

    private static VaultObject Object(string yaml) => Assert.Single(VaultObjectsParser.Parse(yaml));

    private static string Extract(string json, string objectYaml) => Encoding.UTF8.GetString(VaultSecretContent.Extract(Response(json), Object(objectYaml)));

    [Fact]
    public void Extract_KvV2_ReadsDataData()
        => Assert.Equal("s3cret", Extract(KvV2, "- {objectName: a, secretPath: secret/data/app, secretKey: password}"));

    [Fact]
    public void Extract_KvV1_ReadsData_WhenDataDataIsNotAMap()
    {
        Assert.Equal("k-1", Extract(KvV1, "- {objectName: a, secretPath: kv/app, secretKey: api_key}"));
        Assert.Equal("not-a-map", Extract(KvV1, "- {objectName: a, secretPath: kv/app, secretKey: data}"));
    }

    [Fact]
    public void Extract_NonStringValue_IsGoJson()
    {
        Assert.Equal("5432", Extract(KvV2, "- {objectName: a, secretPath: p, secretKey: port}"));
        Assert.Equal("""{"a":[true,null],"b":1}""", Extract(KvV2, "- {objectName: a, secretPath: p, secretKey: nested}"));
    }

    [Theory]
    [InlineData("enc64", "base64")]
    [InlineData("enchex", "hex")]
    [InlineData("enchex", "HEX")]
    public void Extract_DecodesPerEncoding(string key, string encoding)
        => Assert.Equal("hello", Extract(KvV2, $"- {{objectName: a, secretPath: p, secretKey: {key}, encoding: {encoding}}}"));

    [Fact]
    public void Extract_Utf8Encoding_KeepsTheValue()
        => Assert.Equal("aGVsbG8=", Extract(KvV2, "- {objectName: a, secretPath: p, secretKey: enc64, encoding: utf-8}"));

    [Fact]
    public void Extract_UndecodableValue_NamesObjectAndKey_NotTheValue()
    {
        var error = Assert.Throws<ProviderException>(() => Extract(KvV2, "- {objectName: a, secretPath: secret/data/app, secretKey: password, encoding: base64}"));
        Assert.Equal((ProviderErrorKind.InvalidArgument, "InvalidEncoding"), (error.Kind, error.ErrorCode));
        Assert.StartsWith("object \"a\": {secret/data/app}: the value of key \"password\" is not valid base64", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("s3cret", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Extract_MissingKey_IsUpstreamsError_WithoutValues()
    {
        var error = Assert.Throws<ProviderException>(() => Extract(KvV2, "- {objectName: db, secretPath: secret/data/app, secretKey: Password}"));

        Assert.Equal((ProviderErrorKind.NotFound, "SecretKeyNotFound"), (error.Kind, error.ErrorCode));
        Assert.StartsWith("object \"db\": {secret/data/app}: {key \"Password\" does not exist at the secret path}; the secret there has 6 keys", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("s3cret", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("password", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"data":null,"warnings":["Invalid path for a versioned K/V secrets engine"]}""")]
    [InlineData("""{"request_id":"x"}""")]
    public void Extract_NoData_IsUpstreamsEmptyResponse(string json)
    {
        var error = Assert.Throws<ProviderException>(() => Extract(json, "- {objectName: a, secretPath: secret/app, secretKey: k}"));
        Assert.Equal((ProviderErrorKind.NotFound, "EmptyResponse"), (error.Kind, error.ErrorCode));
        Assert.StartsWith("object \"a\": empty response from \"secret/app\", warnings: [", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Extract_WithoutSecretKey_WritesTheEnvelopeAsGo()
    {
        var json = Extract(KvV2, "- {objectName: a, secretPath: secret/data/app}");

        Assert.Equal(
            """{"request_id":"r1","lease_id":"","lease_duration":0,"renewable":false,"data":{"data":{"bad":"!!","enc64":"aGVsbG8=","enchex":"68656c6c6f","nested":{"a":[true,null],"b":1},"password":"s3cret","port":5432},"metadata":{"created_time":"2024-01-01T00:00:00Z","version":3}},"warnings":null,"mount_type":"kv"}""",
            json);
    }

    [Fact]
    public void Extract_WithoutSecretKey_IgnoresEncoding_AsUpstream()
        => Assert.StartsWith("{\"request_id\":\"r2\"", Extract(KvV1, "- {objectName: a, secretPath: kv/app, encoding: base64}"), StringComparison.Ordinal);
}
