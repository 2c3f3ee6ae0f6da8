namespace Csi.Providers.Vault.Tests.Unit;

public class VaultRequestTests
{
    [Theory]
    [InlineData("secret/data/a", "/v1/secret/data/a")]
    [InlineData("/secret/data/a", "/v1/secret/data/a")]
    [InlineData("v1/secret/data/a", "/v1/secret/data/a")]
    [InlineData("/v1/secret/data/a", "/v1/secret/data/a")]
    public void EnsureV1Prefix_AddsV1AsUpstream(string path, string expected)
        => Assert.Equal(expected, VaultRequest.EnsureV1Prefix(path));

    [Theory]
    [InlineData("/v1/secret/data/my app", "/v1/secret/data/my%20app")]
    [InlineData("/v1/kv/a:b@c=d,e;f+g$h&i", "/v1/kv/a:b@c=d,e;f+g$h&i")]
    [InlineData("/v1/kv/100%", "/v1/kv/100%25")]
    [InlineData("/v1/kv/ünï", "/v1/kv/%C3%BCn%C3%AF")]
    [InlineData("/v1/kv/(x)!*", "/v1/kv/%28x%29%21%2A")]
    public void EscapePath_EscapesAsGosUrlPath(string path, string expected)
        => Assert.Equal(expected, VaultRequest.EscapePath(path));

    [Fact]
    public void Create_EqualRequests_HaveEqualKeys_AndBodiesTellThemApart()
    {
        var a = VaultRequest.Create("database/creds/app", null, null, out _)!;
        var b = VaultRequest.Create("/v1/database/creds/app", "get", null, out _)!;
        var c = VaultRequest.Create("database/creds/app", "GET", "{}"u8.ToArray(), out _)!;

        Assert.Equal(a.Key, b.Key);
        Assert.NotEqual(a.Key, c.Key);
        Assert.Equal("database/creds/app", a.DisplayPath);
    }
}
