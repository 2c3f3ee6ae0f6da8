using Azure;
using Azure.Security.KeyVault.Secrets;

namespace Csi.Sandboxes.Azure.Tests;

public sealed class SecretTests : SandboxTestBase
{
    [Fact]
    public async Task GetSecret_ReturnsLatestAndByVersion_WithIdAndContentType()
    {
        var v1 = Vault.SetSecret("db-password", "one");
        var v2 = Vault.SetSecret("db-password", "two", contentType: "text/plain");
        var client = SecretClient();

        KeyVaultSecret latest = await client.GetSecretAsync("db-password");
        KeyVaultSecret first = await client.GetSecretAsync("db-password", v1);

        Assert.Equal("two", latest.Value);
        Assert.Equal(v2, latest.Properties.Version);
        Assert.Equal("text/plain", latest.Properties.ContentType);
        Assert.Equal(new Uri($"https://{VaultName}.vault.azure.net/secrets/db-password/{v2}"), latest.Id);
        Assert.Equal("one", first.Value);
        Assert.Equal(v1, first.Properties.Version);
        Assert.Matches("^[0-9a-f]{32}$", v1);
    }

    [Fact]
    public async Task FirstRequest_IsChallengedWithBearerAuthority_ThenSentWithToken()
    {
        Vault.SetSecret("s", "v");

        await SecretClient().GetSecretAsync("s");

        var vaultRequests = Sandbox.Requests.Where(r => r.Service == "vault").ToList();
        Assert.Equal(2, vaultRequests.Count);
        Assert.Equal((401, false), (vaultRequests[0].StatusCode, vaultRequests[0].HadAuthorization));
        Assert.Equal((200, true), (vaultRequests[1].StatusCode, vaultRequests[1].HadAuthorization));
        Assert.Equal(1, Sandbox.CountRequests("aad", $"/{Sandbox.TenantId}/oauth2/v2.0/token", 200));
    }

    [Fact]
    public async Task Challenge_NamesTenantAuthorityAndVaultResource()
    {
        var (status, body, response) = await GetAsync(new Uri(Vault.VaultUri, "secrets/x?api-version=7.4"));

        Assert.Equal(401, status);
        Assert.Equal($"Bearer authorization=\"https://login.microsoftonline.com/{Sandbox.TenantId}\", resource=\"https://vault.azure.net\"", response.Headers.WwwAuthenticate.ToString());
        Assert.Contains("\"code\":\"Unauthorized\"", body);
    }

    [Fact]
    public async Task MissingSecret_Is404SecretNotFound()
    {
        var e = await Assert.ThrowsAsync<RequestFailedException>(() => SecretClient().GetSecretAsync("absent"));

        Assert.Equal(404, e.Status);
        Assert.Equal("SecretNotFound", e.ErrorCode);
        Assert.Contains("A secret with (name/id) absent was not found in this key vault", e.Message);
    }

    [Fact]
    public async Task UnknownVersion_Is404SecretNotFound()
    {
        Vault.SetSecret("s", "v");

        var e = await Assert.ThrowsAsync<RequestFailedException>(() => SecretClient().GetSecretAsync("s", new string('0', 32)));

        Assert.Equal(404, e.Status);
        Assert.Equal("SecretNotFound", e.ErrorCode);
    }

    [Fact]
    public async Task DisabledSecret_Is403Forbidden()
    {
        var version = Vault.SetSecret("s", "v", enabled: false);

        var e = await Assert.ThrowsAsync<RequestFailedException>(() => SecretClient().GetSecretAsync("s", version));

        Assert.Equal(403, e.Status);
        Assert.Equal("Forbidden", e.ErrorCode);
        Assert.Contains("disabled secret", e.Message);
    }

    [Fact]
    public async Task ListVersions_PagesWithNextLink_AndReportsEnabledFlags()
    {
        var versions = Enumerable.Range(0, 30).Select(i => Vault.SetSecret("many", $"v{i}", enabled: i % 2 == 0)).ToList();
        var client = SecretClient();

        var listed = new List<SecretProperties>();
        await foreach (var p in client.GetPropertiesOfSecretVersionsAsync("many"))
        {
            listed.Add(p);
        }

        Assert.Equal(versions, listed.Select(p => p.Version));
        Assert.Equal(15, listed.Count(p => p.Enabled == true));
        Assert.Equal(2, Sandbox.CountRequests("vault", "/secrets/many/versions", 200));
    }

    [Fact]
    public async Task Throttling_Answers429WithRetryAfter_AndTheSdkRetries()
    {
        Vault.SetSecret("s", "v");
        var client = SecretClient();
        await client.GetSecretAsync("s");
        Sandbox.ThrottleNextRequests(2, TimeSpan.Zero);

        KeyVaultSecret secret = await client.GetSecretAsync("s");

        Assert.Equal("v", secret.Value);
        Assert.Equal(2, Sandbox.CountRequests("vault", "/secrets/s", 429));
    }

    [Fact]
    public async Task Throttled_Response_CarriesRetryAfterAndThrottledCode()
    {
        Vault.SetSecret("s", "v");
        var token = await VaultTokenAsync();
        Sandbox.ThrottleNextRequests(1, TimeSpan.FromSeconds(7));

        var (status, body, response) = await GetAsync(new Uri(Vault.VaultUri, "secrets/s?api-version=7.4"), token);

        Assert.Equal(429, status);
        Assert.Equal(TimeSpan.FromSeconds(7), response.Headers.RetryAfter?.Delta);
        Assert.Contains("\"code\":\"Throttled\"", body);
    }

    [Fact]
    public async Task MissingApiVersion_Is400BadParameter()
    {
        var token = await VaultTokenAsync();

        var (status, body, _) = await GetAsync(new Uri(Vault.VaultUri, "secrets/s"), token);

        Assert.Equal(400, status);
        Assert.Contains("\"code\":\"BadParameter\"", body);
    }

    [Fact]
    public async Task RestrictedVault_Is403ForOtherClients()
    {
        Vault.SetSecret("s", "v");
        Vault.RestrictAccessTo("someone-else");

        var e = await Assert.ThrowsAsync<RequestFailedException>(() => SecretClient().GetSecretAsync("s"));

        Assert.Equal(403, e.Status);
        Assert.Equal("Forbidden", e.ErrorCode);
        Assert.Contains(ClientId, e.Message);
    }
}
