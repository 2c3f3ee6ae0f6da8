namespace Csi.Sandboxes.Azure.Tests;

public sealed class TokenValidationTests : SandboxTestBase
{
    [Fact]
    public async Task UnknownToken_Is401()
    {
        var (status, body, response) = await GetAsync(new Uri(Vault.VaultUri, "secrets/s?api-version=7.4"), "forged");

        Assert.Equal(401, status);
        Assert.Contains("AKV10022", body);
        Assert.StartsWith("Bearer authorization=", response.Headers.WwwAuthenticate.ToString());
    }

    [Fact]
    public async Task ExpiredToken_Is401()
    {
        Vault.SetSecret("s", "v");
        var token = await VaultTokenAsync();
        Clock.Advance(TimeSpan.FromHours(2));

        var (status, body, _) = await GetAsync(new Uri(Vault.VaultUri, "secrets/s?api-version=7.4"), token);

        Assert.Equal(401, status);
        Assert.Contains("expired", body);
    }

    [Fact]
    public async Task TokenFromAnotherTenant_Is401InvalidIssuer()
    {
        var other = Sandbox.CreateVault(VaultName + "x", tenantId: Guid.NewGuid().ToString());
        other.SetSecret("s", "v");
        var token = await VaultTokenAsync();

        var (status, body, _) = await GetAsync(new Uri(other.VaultUri, "secrets/s?api-version=7.4"), token);

        Assert.Equal(401, status);
        Assert.Contains("Invalid issuer", body);
    }

    [Fact]
    public async Task TokenForAnotherAudience_Is401InvalidAudience()
    {
        Vault.SetSecret("s", "v");
        var token = (await SecretCredential().GetTokenAsync(new global::Azure.Core.TokenRequestContext(["https://storage.azure.com/.default"]), default)).Token;

        var (status, body, _) = await GetAsync(new Uri(Vault.VaultUri, "secrets/s?api-version=7.4"), token);

        Assert.Equal(401, status);
        Assert.Contains("Invalid audience", body);
    }
}
