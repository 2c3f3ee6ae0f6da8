using Azure.Core;
using Azure.Identity;
using Azure.Security.KeyVault.Secrets;

namespace Csi.Sandboxes.Azure.Tests;

public sealed class IdentityTests : SandboxTestBase
{
    private const string WorkloadClientId = "aaaaaaaa-0000-0000-0000-000000000001";

    [Fact]
    public async Task ClientSecretCredential_WithWrongSecret_FailsAuthentication()
    {
        Vault.SetSecret("s", "v");

        var e = await Assert.ThrowsAsync<AuthenticationFailedException>(() => SecretClient(SecretCredential(secret: "wrong")).GetSecretAsync("s"));

        Assert.Contains("AADSTS7000215", e.ToString());
    }

    [Fact]
    public async Task WorkloadIdentityCredential_ExchangesServiceAccountToken()
    {
        Vault.SetSecret("s", "v");
        Sandbox.AddFederatedCredential(WorkloadClientId, "default", "app");
        var tokenFile = Path.GetTempFileName();
        try
        {
            await File.WriteAllTextAsync(tokenFile, Sandbox.TokenIssuer.Mint("default", "app", KeyVaultSandbox.TokenExchangeAudience));
            var credential = new WorkloadIdentityCredential(WithSandbox(new WorkloadIdentityCredentialOptions
            {
                TenantId = Sandbox.TenantId,
                ClientId = WorkloadClientId,
                TokenFilePath = tokenFile,
            }));

            KeyVaultSecret secret = await SecretClient(credential).GetSecretAsync("s");

            Assert.Equal("v", secret.Value);
        }
        finally
        {
            File.Delete(tokenFile);
        }
    }

    [Fact]
    public async Task ClientAssertionCredential_WithUnfederatedSubject_IsRejected()
    {
        Sandbox.AddFederatedCredential(WorkloadClientId, "default", "app");
        var credential = new ClientAssertionCredential(
            Sandbox.TenantId,
            WorkloadClientId,
            () => Sandbox.TokenIssuer.Mint("default", "intruder", KeyVaultSandbox.TokenExchangeAudience),
            WithSandbox(new ClientAssertionCredentialOptions()));

        var e = await Assert.ThrowsAsync<AuthenticationFailedException>(() => VaultTokenAsync(credential));

        Assert.Contains("AADSTS700213", e.ToString());
    }

    [Fact]
    public async Task ClientAssertionCredential_WithWrongAudience_IsRejected()
    {
        Sandbox.AddFederatedCredential(WorkloadClientId, "default", "app");
        var credential = new ClientAssertionCredential(
            Sandbox.TenantId,
            WorkloadClientId,
            () => Sandbox.TokenIssuer.Mint("default", "app", "vault"),
            WithSandbox(new ClientAssertionCredentialOptions()));

        var e = await Assert.ThrowsAsync<AuthenticationFailedException>(() => VaultTokenAsync(credential));

        Assert.Contains("AADSTS700212", e.ToString());
    }

    [Fact]
    public async Task ClientAssertionCredential_WithExpiredToken_IsRejected()
    {
        Sandbox.AddFederatedCredential(WorkloadClientId, "default", "app");
        var jwt = Sandbox.TokenIssuer.Mint("default", "app", KeyVaultSandbox.TokenExchangeAudience, TimeSpan.FromMinutes(10));
        Clock.Advance(TimeSpan.FromHours(1));
        var credential = new ClientAssertionCredential(Sandbox.TenantId, WorkloadClientId, () => jwt, WithSandbox(new ClientAssertionCredentialOptions()));

        var e = await Assert.ThrowsAsync<AuthenticationFailedException>(() => VaultTokenAsync(credential));

        Assert.Contains("AADSTS700024", e.ToString());
    }

    [Fact]
    public async Task ManagedIdentityCredential_SystemAssigned_GetsTokenFromImds()
    {
        Vault.SetSecret("s", "v");
        Sandbox.SystemAssignedClientId = "bbbbbbbb-0000-0000-0000-000000000001";
        var credential = new ManagedIdentityCredential(WithSandbox(new ManagedIdentityCredentialOptions(ManagedIdentityId.SystemAssigned)));

        KeyVaultSecret secret = await SecretClient(credential).GetSecretAsync("s");

        Assert.Equal("v", secret.Value);
        Assert.True(Sandbox.CountRequests("imds", "/metadata/identity/oauth2/token", 200) >= 1);
    }

    [Fact]
    public async Task ManagedIdentityCredential_UserAssigned_GetsTokenFromImds()
    {
        Vault.SetSecret("s", "v");
        Sandbox.AddUserAssignedIdentity("cccccccc-0000-0000-0000-000000000001");
        Vault.RestrictAccessTo("cccccccc-0000-0000-0000-000000000001");
        var credential = new ManagedIdentityCredential(WithSandbox(new ManagedIdentityCredentialOptions(ManagedIdentityId.FromUserAssignedClientId("cccccccc-0000-0000-0000-000000000001"))));

        KeyVaultSecret secret = await SecretClient(credential).GetSecretAsync("s");

        Assert.Equal("v", secret.Value);
    }

    [Fact]
    public async Task ManagedIdentityCredential_UnknownUserAssignedIdentity_Fails()
    {
        var credential = new ManagedIdentityCredential(WithSandbox(new ManagedIdentityCredentialOptions(ManagedIdentityId.FromUserAssignedClientId("dddddddd-0000-0000-0000-000000000001"))));

        await Assert.ThrowsAnyAsync<AuthenticationFailedException>(() => VaultTokenAsync(credential));
    }

    [Fact]
    public async Task Imds_WithoutMetadataHeader_Is400()
    {
        Sandbox.SystemAssignedClientId = "bbbbbbbb-0000-0000-0000-000000000001";

        var (status, body, _) = await GetAsync(new Uri("http://169.254.169.254/metadata/identity/oauth2/token?api-version=2018-02-01&resource=https://vault.azure.net"));

        Assert.Equal(400, status);
        Assert.Contains("Required metadata header not specified", body);
    }

    [Fact]
    public async Task Imds_WithMetadataHeader_ReturnsTokenForResource()
    {
        Sandbox.SystemAssignedClientId = "bbbbbbbb-0000-0000-0000-000000000001";

        var (status, body, _) = await GetAsync(
            new Uri("http://169.254.169.254/metadata/identity/oauth2/token?api-version=2018-02-01&resource=https://vault.azure.net"),
            headers: new Dictionary<string, string> { ["Metadata"] = "true" });

        Assert.Equal(200, status);
        Assert.Contains("\"resource\":\"https://vault.azure.net\"", body);
        Assert.Contains("\"client_id\":\"bbbbbbbb-0000-0000-0000-000000000001\"", body);
    }

    [Fact]
    public async Task TokenEndpoint_RequiresDefaultScope()
    {
        var credential = SecretCredential();

        var e = await Assert.ThrowsAsync<AuthenticationFailedException>(() => credential.GetTokenAsync(new TokenRequestContext(["https://vault.azure.net/user_impersonation"]), default).AsTask());

        Assert.Contains("AADSTS1002012", e.ToString());
    }

    [Fact]
    public async Task Nmi_ReturnsTokenAndClientIdForABoundPod()
    {
        Vault.SetSecret("s", "v");
        Sandbox.AddPodIdentity("default", "web-1", "eeeeeeee-0000-0000-0000-000000000001");

        var (status, body, _) = await GetAsync(
            new Uri("http://localhost:2579/host/token/?resource=https://vault.azure.net"),
            headers: new Dictionary<string, string> { ["podns"] = "default", ["podname"] = "web-1" });
        var token = System.Text.Json.JsonDocument.Parse(body).RootElement.GetProperty("token").GetProperty("access_token").GetString();
        var (vaultStatus, _, _) = await GetAsync(new Uri(Vault.VaultUri, "secrets/s?api-version=7.4"), token);

        Assert.Equal(200, status);
        Assert.Contains("\"clientid\":\"eeeeeeee-0000-0000-0000-000000000001\"", body);
        Assert.Equal(200, vaultStatus);
    }

    [Fact]
    public async Task Nmi_ForAnUnboundPod_Is404()
    {
        var (status, _, _) = await GetAsync(
            new Uri("http://localhost:2579/host/token/?resource=https://vault.azure.net"),
            headers: new Dictionary<string, string> { ["podns"] = "default", ["podname"] = "other" });

        Assert.Equal(404, status);
    }

    [Fact]
    public async Task TokenEndpoint_ForAppInAnotherTenant_IsUnauthorizedClient()
    {
        var credential = SecretCredential(tenantId: Guid.NewGuid().ToString());

        var e = await Assert.ThrowsAsync<AuthenticationFailedException>(() => VaultTokenAsync(credential));

        Assert.Contains("AADSTS700016", e.ToString());
    }
}
