using System.Globalization;
using System.Text.Json;
using Csi.Sandboxes.Azure;
using Csi.Sandboxes.Common;
using Csi.Testing;
using SecretsStore.Provider.V1Alpha1;
using Xunit.Abstractions;

namespace Csi.Aot.Tests;

/// <summary>The Azure provider as shipped: published with Native AOT, run as a process behind an HTTPS proxy to the Key Vault sandbox.</summary>
public sealed class AotAzureProviderTests(ITestOutputHelper output)
{
    private const string ClientId = "3e3e3e3e-1111-2222-3333-444444444444";

    [Fact]
    public async Task Aot_azure_provider_publishes_cleanly_and_mounts_a_secret_a_key_and_a_certificate()
    {
        var publish = await AotPublisher.PublishAsync("providers/Csi.Providers.Azure/Csi.Providers.Azure.csproj", "secrets-store-csi-driver-provider-azure");
        Assert.True(publish.Succeeded, $"dotnet publish exited with {publish.ExitCode}:\n{publish.Log}");
        Assert.True(publish.TrimAndAotDiagnostics.Count == 0, "trim/AOT diagnostics:\n" + string.Join('\n', publish.TrimAndAotDiagnostics));
        output.WriteLine($"AOT azure provider: {new FileInfo(publish.BinaryPath).Length.ToString("N0", CultureInfo.InvariantCulture)} bytes");

        await using var sandbox = await KeyVaultSandbox.StartAsync();
        var vault = sandbox.CreateVault("kvaot" + Guid.NewGuid().ToString("N")[..12]);
        sandbox.AddFederatedCredential(ClientId, "default", "app");
        var secretVersion = vault.SetSecret("db-password", "aot-pw");
        var (_, rsa) = vault.CreateRsaKey("signing");
        using var ca = SandboxCertificates.CreateCertificateAuthority();
        using var leaf = SandboxCertificates.IssueCertificate(ca, "app.example", clientAuth: false, serverAuth: true);
        vault.ImportCertificate("tls", leaf, [ca]);

        using var directory = new TempDirectory("aot-azure");
        var trust = Path.Combine(directory.Path, "sandbox-ca.pem");
        sandbox.WriteTrustBundle(trust);
        var proxy = sandbox.ProxyAddress.ToString().TrimEnd('/');
        var socket = Path.Combine(directory.Path, "azure.sock");
        await using var provider = await ProviderProcess.StartAsync(publish.BinaryPath, ["--endpoint", socket, "--health-addr=", "--metrics-addr="], socket, directory.Path, environment: new Dictionary<string, string>
        {
            ["HTTPS_PROXY"] = proxy,
            ["HTTP_PROXY"] = proxy,
            ["NO_PROXY"] = string.Empty,
            ["SSL_CERT_FILE"] = trust,
        });
        output.WriteLine($"RSS after start: {provider.ReadRssKiB()} KiB");

        var version = await provider.Client.VersionAsync(new VersionRequest { Version = "v1alpha1" });
        var jwt = sandbox.TokenIssuer.Mint("default", "app", KeyVaultSandbox.TokenExchangeAudience);
        var tokens = JsonSerializer.Serialize(new Dictionary<string, Dictionary<string, string>>
        {
            [KeyVaultSandbox.TokenExchangeAudience] = new() { ["token"] = jwt, ["expirationTimestamp"] = DateTime.UtcNow.AddHours(1).ToString("O", CultureInfo.InvariantCulture) },
        });
        var attributes = JsonSerializer.Serialize(new Dictionary<string, string>
        {
            ["keyvaultName"] = vault.Name,
            ["tenantID"] = sandbox.TenantId,
            ["clientID"] = ClientId,
            ["objects"] = "array:\n  - |\n    objectName: db-password\n    objectType: secret\n  - |\n    objectName: signing\n    objectType: key\n  - |\n    objectName: tls\n    objectType: secret\n",
            ["csi.storage.k8s.io/pod.name"] = "app-0",
            ["csi.storage.k8s.io/pod.namespace"] = "default",
            ["csi.storage.k8s.io/pod.uid"] = "uid-0",
            ["csi.storage.k8s.io/serviceAccount.name"] = "app",
            ["csi.storage.k8s.io/serviceAccount.tokens"] = tokens,
        });
        var response = await provider.Client.MountAsync(new MountRequest { Attributes = attributes, Secrets = "{}", Permission = "420", TargetPath = "/nonexistent" });
        output.WriteLine($"RSS after a mount: {provider.ReadRssKiB()} KiB");

        Assert.Equal(("v1alpha1", "secrets-store-csi-driver-provider-azure"), (version.Version, version.RuntimeName));
        Assert.Equal(["db-password", "signing", "tls"], response.Files.Select(f => f.Path));
        Assert.Equal("aot-pw", response.Files[0].Contents.ToStringUtf8());
        Assert.Equal(rsa.ExportSubjectPublicKeyInfoPem(), response.Files[1].Contents.ToStringUtf8().TrimEnd());
        Assert.StartsWith("-----BEGIN PRIVATE KEY-----", response.Files[2].Contents.ToStringUtf8(), StringComparison.Ordinal);
        Assert.Equal(secretVersion, response.ObjectVersion[0].Version);
        Assert.Equal(0, await provider.StopAsync());
    }
}
