using System.Net.Http.Headers;
using Azure.Core;
using Azure.Identity;
using Azure.Security.KeyVault.Certificates;
using Azure.Security.KeyVault.Secrets;
using Microsoft.Extensions.Time.Testing;

namespace Csi.Sandboxes.Azure.Tests;

/// <summary>A started sandbox with one vault and one app registration, plus SDK clients wired to it.</summary>
public abstract class SandboxTestBase : IAsyncLifetime
{
    protected const string ClientId = "11111111-2222-3333-4444-555555555555";
    protected const string ClientSecret = "not-a-real-secret";

    // The SDK caches bearer challenges per vault host for the whole process: a fresh name per test keeps
    // one test's tenant from leaking into the next.
    protected string VaultName { get; } = "kv" + Guid.NewGuid().ToString("N")[..20];

    protected FakeTimeProvider Clock { get; } = new(DateTimeOffset.UtcNow);

    protected KeyVaultSandbox Sandbox { get; private set; } = null!;

    protected SandboxVault Vault { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Sandbox = await KeyVaultSandbox.StartAsync(new KeyVaultSandboxOptions { TimeProvider = Clock });
        Vault = Sandbox.CreateVault(VaultName);
        Sandbox.AddClientSecret(ClientId, ClientSecret);
    }

    public async Task DisposeAsync() => await Sandbox.DisposeAsync();

    protected T WithSandbox<T>(T options)
        where T : ClientOptions
    {
        options.Transport = Sandbox.CreateTransport();
        options.Retry.Delay = TimeSpan.FromMilliseconds(10);
        options.Retry.MaxDelay = TimeSpan.FromMilliseconds(100);
        return options;
    }

    protected ClientSecretCredential SecretCredential(string? secret = null, string? tenantId = null) =>
        new(tenantId ?? Sandbox.TenantId, ClientId, secret ?? ClientSecret, WithSandbox(new ClientSecretCredentialOptions()));

    protected SecretClient SecretClient(TokenCredential? credential = null, SandboxVault? vault = null) =>
        new((vault ?? Vault).VaultUri, credential ?? SecretCredential(), WithSandbox(new SecretClientOptions()));

    protected CertificateClient CertificateClient(TokenCredential? credential = null) =>
        new(Vault.VaultUri, credential ?? SecretCredential(), WithSandbox(new CertificateClientOptions()));

    /// <summary>A raw GET against a sandbox host, with an optional bearer token.</summary>
    protected async Task<(int Status, string Body, HttpResponseMessage Response)> GetAsync(Uri uri, string? bearer = null, IDictionary<string, string>? headers = null)
    {
        using var client = new HttpClient(Sandbox.CreateHttpHandler());
        using var request = new HttpRequestMessage(HttpMethod.Get, uri);
        if (bearer is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", bearer);
        }

        foreach (var (k, v) in headers ?? new Dictionary<string, string>())
        {
            request.Headers.Add(k, v);
        }

        var response = await client.SendAsync(request);
        return ((int)response.StatusCode, await response.Content.ReadAsStringAsync(), response);
    }

    protected async Task<string> VaultTokenAsync(TokenCredential? credential = null) =>
        (await (credential ?? SecretCredential()).GetTokenAsync(new TokenRequestContext([KeyVaultSandbox.VaultResource + "/.default"]), default)).Token;
}
