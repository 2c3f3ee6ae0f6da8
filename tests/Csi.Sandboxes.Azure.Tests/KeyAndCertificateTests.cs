using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using Azure;
using Azure.Security.KeyVault.Certificates;
using Azure.Security.KeyVault.Secrets;
using Csi.Sandboxes.Common;

namespace Csi.Sandboxes.Azure.Tests;

public sealed class KeyAndCertificateTests : SandboxTestBase
{
    [Fact]
    public async Task RsaKey_IsServedAsJwkWithKid()
    {
        var (version, key) = Vault.CreateRsaKey("rsa");
        using var _ = key;

        using var doc = await GetJsonAsync($"keys/rsa/{version}", 200);

        var jwk = doc.RootElement.GetProperty("key");
        var expected = key.ExportParameters(false);
        Assert.Equal("RSA", jwk.GetProperty("kty").GetString());
        Assert.Equal(expected.Modulus, Base64UrlDecode(jwk.GetProperty("n").GetString()!));
        Assert.Equal(expected.Exponent, Base64UrlDecode(jwk.GetProperty("e").GetString()!));
        Assert.Equal($"https://{VaultName}.vault.azure.net/keys/rsa/{version}", jwk.GetProperty("kid").GetString());
        Assert.True(doc.RootElement.GetProperty("attributes").GetProperty("enabled").GetBoolean());
    }

    [Theory]
    [InlineData("P-256", 256)]
    [InlineData("P-384", 384)]
    [InlineData("P-521", 521)]
    public async Task EcKey_IsServedAsJwkWithCurve(string curveName, int keySize)
    {
        var curve = keySize switch { 256 => ECCurve.NamedCurves.nistP256, 384 => ECCurve.NamedCurves.nistP384, _ => ECCurve.NamedCurves.nistP521 };
        var (_, key) = Vault.CreateEcKey("ec", curve);
        using var __ = key;

        using var doc = await GetJsonAsync("keys/ec", 200);

        var jwk = doc.RootElement.GetProperty("key");
        Assert.Equal("EC", jwk.GetProperty("kty").GetString());
        Assert.Equal(curveName, jwk.GetProperty("crv").GetString());
        Assert.Equal(key.ExportParameters(false).Q.X, Base64UrlDecode(jwk.GetProperty("x").GetString()!));
    }

    [Fact]
    public async Task MissingKey_Is404KeyNotFound()
    {
        using var doc = await GetJsonAsync("keys/absent", 404);

        Assert.Equal("KeyNotFound", doc.RootElement.GetProperty("error").GetProperty("code").GetString());
    }

    [Fact]
    public async Task KeyVersions_AreListedWithKid()
    {
        var (v1, k1) = Vault.CreateRsaKey("rsa");
        var (v2, k2) = Vault.CreateRsaKey("rsa", enabled: false);
        k1.Dispose();
        k2.Dispose();

        using var doc = await GetJsonAsync("keys/rsa/versions", 200);

        var kids = doc.RootElement.GetProperty("value").EnumerateArray().Select(v => v.GetProperty("kid").GetString()!).ToList();
        Assert.Equal([v1, v2], kids.Select(k => k[(k.LastIndexOf('/') + 1)..]));
    }

    [Fact]
    public async Task Certificate_ServesLeafCerAndVersions_ThroughCertificateClient()
    {
        using var ca = SandboxCertificates.CreateCertificateAuthority();
        using var leaf = SandboxCertificates.IssueCertificate(ca, "app.example", clientAuth: false, serverAuth: true);
        var v1 = Vault.ImportCertificate("tls", leaf, [ca]);
        var v2 = Vault.ImportCertificate("tls", leaf, [ca], CertificateSecretFormat.Pem);
        var client = CertificateClient();

        KeyVaultCertificateWithPolicy latest = await client.GetCertificateAsync("tls");
        KeyVaultCertificate first = await client.GetCertificateVersionAsync("tls", v1);
        var versions = new List<string>();
        await foreach (var p in client.GetPropertiesOfCertificateVersionsAsync("tls"))
        {
            versions.Add(p.Version);
        }

        Assert.Equal(leaf.RawData, latest.Cer);
        Assert.Equal(v2, latest.Properties.Version);
        Assert.Equal(new Uri($"https://{VaultName}.vault.azure.net/secrets/tls/{v2}"), latest.SecretId);
        Assert.Equal(new Uri($"https://{VaultName}.vault.azure.net/keys/tls/{v2}"), latest.KeyId);
        Assert.Equal(leaf.RawData, first.Cer);
        Assert.Equal([v1, v2], versions);
    }

    [Fact]
    public async Task CertificateBackingSecret_IsPkcs12WithKeyAndChain()
    {
        using var ca = SandboxCertificates.CreateCertificateAuthority();
        using var leaf = SandboxCertificates.IssueCertificate(ca, "app.example", clientAuth: false, serverAuth: true);
        var version = Vault.ImportCertificate("tls", leaf, [ca]);

        KeyVaultSecret secret = await SecretClient().GetSecretAsync("tls");

        Assert.Equal("application/x-pkcs12", secret.Properties.ContentType);
        Assert.True(secret.Properties.Managed);
        Assert.Equal(new Uri($"https://{VaultName}.vault.azure.net/keys/tls/{version}"), secret.Properties.KeyId);
        var pfx = X509CertificateLoader.LoadPkcs12Collection(Convert.FromBase64String(secret.Value), null);
        Assert.Equal(2, pfx.Count);
        Assert.Contains(pfx, c => c.HasPrivateKey && c.Thumbprint == leaf.Thumbprint);
        Assert.Contains(pfx, c => c.Thumbprint == ca.Thumbprint);
    }

    [Fact]
    public async Task CertificateBackingSecret_InPemFormat_HoldsKeyThenChain()
    {
        using var ca = SandboxCertificates.CreateCertificateAuthority();
        using var leaf = SandboxCertificates.IssueCertificate(ca, "app.example", clientAuth: false, serverAuth: true);
        Vault.ImportCertificate("tls", leaf, [ca], CertificateSecretFormat.Pem);

        KeyVaultSecret secret = await SecretClient().GetSecretAsync("tls");

        Assert.Equal("application/x-pem-file", secret.Properties.ContentType);
        Assert.StartsWith("-----BEGIN PRIVATE KEY-----", secret.Value);
        using var parsed = X509Certificate2.CreateFromPem(secret.Value);
        Assert.Equal(leaf.Thumbprint, parsed.Thumbprint);
        Assert.Equal(2, secret.Value.Split("BEGIN CERTIFICATE").Length - 1);
    }

    [Fact]
    public async Task DisabledCertificateVersion_IsStillReadable_AndReportsDisabled()
    {
        using var ca = SandboxCertificates.CreateCertificateAuthority();
        using var leaf = SandboxCertificates.IssueCertificate(ca, "app.example", clientAuth: false, serverAuth: true);
        var version = Vault.ImportCertificate("tls", leaf, enabled: false);

        KeyVaultCertificate cert = await CertificateClient().GetCertificateVersionAsync("tls", version);
        var e = await Assert.ThrowsAsync<RequestFailedException>(() => SecretClient().GetSecretAsync("tls", version));

        Assert.False(cert.Properties.Enabled);
        Assert.Equal(403, e.Status);
    }

    [Fact]
    public async Task MissingCertificate_Is404CertificateNotFound()
    {
        var e = await Assert.ThrowsAsync<RequestFailedException>(() => CertificateClient().GetCertificateAsync("absent"));

        Assert.Equal(404, e.Status);
        Assert.Equal("CertificateNotFound", e.ErrorCode);
    }

    private async Task<JsonDocument> GetJsonAsync(string relative, int expectedStatus)
    {
        var token = await VaultTokenAsync();
        var (status, body, _) = await GetAsync(new Uri(Vault.VaultUri, relative + "?api-version=7.4"), token);
        Assert.Equal(expectedStatus, status);
        return JsonDocument.Parse(body);
    }

    private static byte[] Base64UrlDecode(string text) => System.Buffers.Text.Base64Url.DecodeFromChars(text);
}
