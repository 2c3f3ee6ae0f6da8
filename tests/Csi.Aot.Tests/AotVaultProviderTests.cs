using System.Globalization;
using Csi.Sandboxes.Vault;
using Csi.Testing;
using SecretsStore.Provider.V1Alpha1;
using Xunit.Abstractions;

namespace Csi.Aot.Tests;

/// <summary>The Vault provider as shipped: published with Native AOT, run as a process, called as the driver calls it.</summary>
public sealed class AotVaultProviderTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Aot_vault_provider_publishes_cleanly_and_mounts_a_secret_from_vault()
    {
        var publish = await AotPublisher.PublishVaultProviderAsync();
        Assert.True(publish.Succeeded, $"dotnet publish exited with {publish.ExitCode}:\n{publish.Log}");
        Assert.True(publish.TrimAndAotDiagnostics.Count == 0, "trim/AOT diagnostics:\n" + string.Join('\n', publish.TrimAndAotDiagnostics));
        output.WriteLine($"AOT vault provider: {new FileInfo(publish.BinaryPath).Length.ToString("N0", CultureInfo.InvariantCulture)} bytes");

        await using var vault = await VaultSandbox.StartAsync();
        vault.EnableKubernetesAuth();
        vault.WritePolicy("app", [new VaultPolicyRule("secret/data/app/*", "read")]);
        vault.WriteAuthRole("kubernetes", new VaultAuthRole
        {
            Name = "app",
            BoundServiceAccountNames = ["app"],
            BoundServiceAccountNamespaces = ["default"],
            Audience = "vault",
            TokenPolicies = ["app"],
        });
        vault.WriteSecret("secret", "app/db", new Dictionary<string, string> { ["password"] = "aot-pw" });
        var jwt = vault.MintServiceAccountToken("default", "app", "vault");

        using var directory = new TempDirectory("aot-vault");
        var socket = Path.Combine(directory.Path, "vault.sock");
        await using var provider = await ProviderProcess.StartAsync(publish.BinaryPath, ["--endpoint", socket, "--health-addr="], socket, directory.Path);
        output.WriteLine($"RSS after start: {provider.ReadRssKiB()} KiB");

        var version = await provider.Client.VersionAsync(new VersionRequest { Version = "v1alpha1" });
        // Nothing a provider that has mounted nothing does needs OpenSSL, which would add about 4 MiB to its idle memory.
        var openSsl = ProcessMemory.Mappings(provider.Pid, "libcrypto", "libssl");
        Assert.True(openSsl.Count == 0, "OpenSSL mapped before the first mount:\n" + string.Join('\n', openSsl));
        var tokens = "{\"vault\":{\"token\":\"" + jwt + "\",\"expirationTimestamp\":\"" + DateTime.UtcNow.AddHours(1).ToString("O", CultureInfo.InvariantCulture) + "\"}}";
        var attributes = System.Text.Json.JsonSerializer.Serialize(new Dictionary<string, string>
        {
            ["roleName"] = "app",
            ["vaultAddress"] = vault.Address.ToString().TrimEnd('/'),
            ["objects"] = "- objectName: password\n  secretPath: secret/data/app/db\n  secretKey: password\n",
            ["csi.storage.k8s.io/pod.name"] = "app-0",
            ["csi.storage.k8s.io/pod.namespace"] = "default",
            ["csi.storage.k8s.io/pod.uid"] = "uid-0",
            ["csi.storage.k8s.io/serviceAccount.name"] = "app",
            ["csi.storage.k8s.io/serviceAccount.tokens"] = tokens,
        });
        var response = await provider.Client.MountAsync(new MountRequest { Attributes = attributes, Secrets = "{}", Permission = "420", TargetPath = "/nonexistent" });

        Assert.Equal(("v1alpha1", "vault-csi-provider"), (version.Version, version.RuntimeName));
        var file = Assert.Single(response.Files);
        Assert.Equal(("password", "aot-pw", 420), (file.Path, file.Contents.ToStringUtf8(), file.Mode));
        Assert.Equal("1", Assert.Single(response.ObjectVersion).Version);
        Assert.Equal(0, await provider.StopAsync());
    }
}
