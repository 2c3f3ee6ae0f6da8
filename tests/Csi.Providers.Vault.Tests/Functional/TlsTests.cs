using System.Security.Cryptography.X509Certificates;
using Csi.Sandboxes.Common;
using Csi.Sandboxes.Vault;
using Grpc.Core;
using static Csi.Providers.Vault.Tests.Functional.VaultProviderHarness;

namespace Csi.Providers.Vault.Tests.Functional;

/// <summary>Vault over HTTPS: trusted CAs from a file or a directory, server name, skip-verify and mutual TLS.</summary>
public sealed class TlsTests
{
    private const string DbObject = "- {objectName: db-password, secretPath: secret/data/app/db, secretKey: password}";

    private static string WritePem(VaultProviderHarness h, string name, string pem)
    {
        var path = Path.Combine(h.Directory, name);
        File.WriteAllText(path, pem);
        return path;
    }

    [Fact]
    public async Task Https_WithTheCaFile_Succeeds()
    {
        await using var h = await StartAsync(new VaultSandboxOptions { UseTls = true });
        var ca = WritePem(h, "ca.pem", h.Vault.ServerCertificate!.ExportCertificatePem());

        var response = await h.MountAsync(Parameters(DbObject, ("vaultCACertPath", ca)));

        Assert.Equal(DbPassword, response.Files[0].Contents.ToStringUtf8());
    }

    [Fact]
    public async Task Https_WithTheCaDirectory_Succeeds()
    {
        await using var h = await StartAsync(new VaultSandboxOptions { UseTls = true });
        var dir = Directory.CreateDirectory(Path.Combine(h.Directory, "cas")).FullName;
        using var other = SandboxCertificates.CreateCertificateAuthority("unrelated");
        File.WriteAllText(Path.Combine(dir, "a-other.pem"), other.ExportCertificatePem());
        File.WriteAllText(Path.Combine(dir, "vault.pem"), h.Vault.ServerCertificate!.ExportCertificatePem());
        Directory.CreateDirectory(Path.Combine(dir, "..2026_01_01"));
        File.WriteAllText(Path.Combine(dir, "..2026_01_01", "junk"), "not pem");

        var response = await h.MountAsync(Parameters(DbObject, ("vaultCADirectory", dir)));

        Assert.Equal(DbPassword, response.Files[0].Contents.ToStringUtf8());
    }

    [Fact]
    public async Task Https_WithoutTrust_IsUnavailable_WithATlsHint()
    {
        await using var h = await StartAsync(new VaultSandboxOptions { UseTls = true });

        var error = await h.MountFailsAsync(h.Request(Parameters(DbObject)));

        Assert.Equal(StatusCode.Unavailable, error.StatusCode);
        Assert.StartsWith("VaultTlsFailed: failed to login at auth/kubernetes/login: TLS handshake failed", error.Status.Detail, StringComparison.Ordinal);
        Assert.Contains("check vaultCACertPath/vaultCADirectory", error.Status.Detail, StringComparison.Ordinal);
        Assert.Equal(0, h.Vault.CountRequests());
    }

    [Fact]
    public async Task Https_WithSkipVerify_Succeeds()
    {
        await using var h = await StartAsync(new VaultSandboxOptions { UseTls = true });
        var response = await h.MountAsync(Parameters(DbObject, ("vaultSkipTLSVerify", "true")));
        Assert.Equal(DbPassword, response.Files[0].Contents.ToStringUtf8());
    }

    [Fact]
    public async Task Https_ServerName_IsWhatTheCertificateIsCheckedAgainst()
    {
        await using var h = await StartAsync(new VaultSandboxOptions { UseTls = true });
        var ca = WritePem(h, "ca.pem", h.Vault.ServerCertificate!.ExportCertificatePem());

        var good = await h.MountAsync(Parameters(DbObject, ("vaultCACertPath", ca), ("vaultTLSServerName", "localhost")));
        var bad = await h.MountFailsAsync(h.Request(Parameters(DbObject, ("vaultCACertPath", ca), ("vaultTLSServerName", "vault.elsewhere.example"))));

        Assert.Equal(DbPassword, good.Files[0].Contents.ToStringUtf8());
        Assert.Equal(StatusCode.Unavailable, bad.StatusCode);
        Assert.Contains("TLS handshake failed", bad.Status.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task MutualTls_SendsTheClientCertificate()
    {
        using var clientCa = SandboxCertificates.CreateCertificateAuthority("clients");
        using var client = SandboxCertificates.IssueCertificate(clientCa, "csi-provider", clientAuth: true, serverAuth: false);
        var options = new VaultSandboxOptions { UseTls = true, RequireClientCertificate = true };
        options.TrustedClientCertificateAuthorities.Add(clientCa);
        await using var h = await StartAsync(options);
        var ca = WritePem(h, "ca.pem", h.Vault.ServerCertificate!.ExportCertificatePem());
        var cert = WritePem(h, "tls.crt", client.ExportCertificatePem());
        var key = WritePem(h, "tls.key", client.GetRSAPrivateKey()!.ExportPkcs8PrivateKeyPem());

        var response = await h.MountAsync(Parameters(DbObject, ("vaultCACertPath", ca), ("vaultTLSClientCertPath", cert), ("vaultTLSClientKeyPath", key)));
        var without = await h.MountFailsAsync(h.Request(Parameters(DbObject, ("vaultCACertPath", ca))));

        Assert.Equal(DbPassword, response.Files[0].Contents.ToStringUtf8());
        Assert.Equal(StatusCode.Unavailable, without.StatusCode);
    }

    [Fact]
    public async Task MutualTls_FromFlags_AppliesToEveryClass()
    {
        using var clientCa = SandboxCertificates.CreateCertificateAuthority("clients");
        using var client = SandboxCertificates.IssueCertificate(clientCa, "csi-provider", clientAuth: true, serverAuth: false);
        var options = new VaultSandboxOptions { UseTls = true, RequireClientCertificate = true };
        options.TrustedClientCertificateAuthorities.Add(clientCa);
        var paths = new Dictionary<string, string>();
        await using var h = await StartAsync(options, o =>
        {
            var dir = Directory.CreateTempSubdirectory("vault-tls-").FullName;
            paths["dir"] = dir;
            o.TlsClientCert = Path.Combine(dir, "tls.crt");
            o.TlsClientKey = Path.Combine(dir, "tls.key");
            o.TlsCaCert = Path.Combine(dir, "ca.pem");
        });
        File.WriteAllText(h.Provider.Options.TlsCaCert, h.Vault.ServerCertificate!.ExportCertificatePem());
        File.WriteAllText(h.Provider.Options.TlsClientCert, client.ExportCertificatePem());
        File.WriteAllText(h.Provider.Options.TlsClientKey, client.GetRSAPrivateKey()!.ExportPkcs8PrivateKeyPem());
        try
        {
            var response = await h.MountAsync(Parameters(DbObject));
            Assert.Equal(DbPassword, response.Files[0].Contents.ToStringUtf8());
        }
        finally
        {
            Directory.Delete(paths["dir"], recursive: true);
        }
    }

    [Fact]
    public async Task BadClientKey_IsInvalidArgument_NamingTheParameter()
    {
        await using var h = await StartAsync(new VaultSandboxOptions { UseTls = true });
        var cert = WritePem(h, "tls.crt", "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n");
        var key = WritePem(h, "tls.key", "nope");

        var error = await h.MountFailsAsync(h.Request(Parameters(DbObject, ("vaultTLSClientCertPath", cert), ("vaultTLSClientKeyPath", key))));

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.StartsWith($"InvalidParameter: vaultTLSClientCertPath: cannot load the client certificate {cert}", error.Status.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task HttpClients_AreSharedPerAddressAndTls()
    {
        await using var h = await StartAsync(new VaultSandboxOptions { UseTls = true });
        var ca = WritePem(h, "ca.pem", h.Vault.ServerCertificate!.ExportCertificatePem());

        await h.MountAsync(Parameters(DbObject, ("vaultCACertPath", ca)), podUid: "a");
        await h.MountAsync(Parameters(DbObject, ("vaultCACertPath", ca)), podUid: "b");
        await h.MountAsync(Parameters(DbObject, ("vaultSkipTLSVerify", "true")), podUid: "c");

        Assert.Equal(2, h.Provider.HttpClients.Count);
    }
}
