using System.Text;
using System.Text.Json;

namespace Csi.Providers.Vault.Tests.Unit;

public class GoJsonTests
{
    private static string Marshal(string json)
    {
        using var document = JsonDocument.Parse(json);
        return Encoding.UTF8.GetString(GoJson.Marshal(document.RootElement));
    }

    [Theory]
    [InlineData("\"<a href='x'>&</a>\"", "\"\\u003ca href='x'\\u003e\\u0026\\u003c/a\\u003e\"")]
    [InlineData("\"line\\nbreak\\ttab\\r\\b\\f\"", "\"line\\nbreak\\ttab\\r\\b\\f\"")]
    [InlineData("\"\\u0001\\u001f\"", "\"\\u0001\\u001f\"")]
    [InlineData("\"\\u2028\\u2029\"", "\"\\u2028\\u2029\"")]
    [InlineData("\"caf\\u00e9 \\ud83d\\ude00\"", "\"café 😀\"")]
    [InlineData("\"quote \\\" backslash \\\\ slash /\"", "\"quote \\\" backslash \\\\ slash /\"")]
    public void Marshal_EscapesStringsAsGo(string json, string expected)
        => Assert.Equal(expected, Marshal(json));

    [Fact]
    public void Marshal_SortsKeys_KeepsNumbers_LastDuplicateWins()
        => Assert.Equal("""{"A":1.50,"a":[1e3,-0],"b":2}""", Marshal("""{"b":1,"a":[1e3,-0],"A":1.50,"b":2}"""));

    [Fact]
    public void MarshalSecret_OmitsEmptyOptionalFields_AsApiSecret()
    {
        var secret = new VaultSecretResponse { RequestId = "r", LeaseDuration = 60 };
        Assert.Equal("""{"request_id":"r","lease_id":"","lease_duration":60,"renewable":false,"data":null,"warnings":null}""", Encoding.UTF8.GetString(GoJson.MarshalSecret(secret)));
    }
}
