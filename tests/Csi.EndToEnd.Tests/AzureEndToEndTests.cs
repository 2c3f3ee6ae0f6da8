using Csi.Sandboxes.Common;
using Csi.Testing;
using Grpc.Core;

namespace Csi.EndToEnd.Tests;

/// <summary>Driver and Azure provider binaries as processes, the Key Vault sandbox behind an HTTPS proxy, kubelet's requests.</summary>
[Collection(nameof(EndToEnd))]
public sealed class AzureEndToEndTests
{
    private static readonly Dictionary<string, string> WorkloadIdentity = new() { ["clientID"] = AzureStack.WorkloadClientId };

    [Fact]
    public async Task Publish_SecretsKeysCertsHistoryAliasesAndEncodings_WithWorkloadIdentity()
    {
        await using var stack = await AzureStack.StartAsync();
        var vault = stack.Vault;
        vault.RestrictAccessTo(AzureStack.WorkloadClientId);
        vault.SetSecret("db-password", "pw-1");
        vault.SetSecret("blob", Convert.ToBase64String("\u0001binary\u0002"u8));
        var (_, rsa) = vault.CreateRsaKey("signing");
        using var ca = SandboxCertificates.CreateCertificateAuthority();
        using var leaf = SandboxCertificates.IssueCertificate(ca, "app.example", clientAuth: false, serverAuth: true);
        vault.ImportCertificate("tls", leaf, [ca]);
        vault.SetSecret("rotating", "h1", created: DateTimeOffset.UtcNow.AddMinutes(-3));
        vault.SetSecret("rotating", "h2", created: DateTimeOffset.UtcNow.AddMinutes(-2));
        vault.SetSecret("rotating", "h3", created: DateTimeOffset.UtcNow.AddMinutes(-1));
        stack.WriteClass("app", WorkloadIdentity,
            ["objectName: db-password", "objectType: secret", "objectAlias: password", "filePermission: \"0600\""],
            ["objectName: blob", "objectType: secret", "objectEncoding: base64"],
            ["objectName: signing", "objectType: key"],
            ["objectName: tls", "objectType: cert", "objectAlias: tls.crt"],
            ["objectName: tls", "objectType: secret", "objectAlias: tls.pem"],
            ["objectName: rotating", "objectType: secret", "objectVersionHistory: 2"]);
        var target = stack.NewTarget();

        await stack.PublishAsync(stack.PublishRequest(target, "app"));

        Assert.Equal("tmpfs", MountTable.FileSystemAt(target));
        Assert.Equal("pw-1", File.ReadAllText(Path.Combine(target, "password")));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(target, "..data", "password")));
        Assert.Equal("\u0001binary\u0002"u8.ToArray(), File.ReadAllBytes(Path.Combine(target, "blob")));
        Assert.Equal(rsa.ExportSubjectPublicKeyInfoPem(), File.ReadAllText(Path.Combine(target, "signing")).TrimEnd());
        Assert.Equal(leaf.ExportCertificatePem(), File.ReadAllText(Path.Combine(target, "tls.crt")).TrimEnd());
        var pem = File.ReadAllText(Path.Combine(target, "tls.pem"));
        Assert.StartsWith("-----BEGIN PRIVATE KEY-----", pem, StringComparison.Ordinal);
        Assert.Equal(2, pem.Split("BEGIN CERTIFICATE").Length - 1);
        Assert.Equal("h3", File.ReadAllText(Path.Combine(target, "rotating", "0")));
        Assert.Equal("h2", File.ReadAllText(Path.Combine(target, "rotating", "1")));
        Assert.False(File.Exists(Path.Combine(target, "rotating", "2")));
        Assert.Contains(stack.Sandbox.Requests, r => r.Service == "aad" && r.Path.EndsWith("/oauth2/v2.0/token", StringComparison.Ordinal) && r.StatusCode == 200);

        await stack.UnpublishAsync(target);
        Assert.Null(MountTable.FileSystemAt(target));
        Assert.False(Directory.Exists(target));
    }

    [Theory]
    [InlineData("service-principal")]
    [InlineData("vm-managed-identity")]
    [InlineData("identity-binding")]
    public async Task Publish_WithEachIdentityMode_ReadsAsThatIdentity(string mode)
    {
        await using var stack = await AzureStack.StartAsync();
        var (parameters, identity, service) = mode switch
        {
            "service-principal" => (new Dictionary<string, string>(), AzureStack.SpClientId, "aad"),
            "vm-managed-identity" => (new Dictionary<string, string> { ["useVMManagedIdentity"] = "true", ["userAssignedIdentityID"] = AzureStack.ManagedIdentityClientId }, AzureStack.ManagedIdentityClientId, "imds"),
            _ => (new Dictionary<string, string> { ["useAzureTokenProxy"] = "true", ["clientID"] = AzureStack.BindingClientId }, AzureStack.BindingClientId, "tokenproxy"),
        };
        stack.Vault.RestrictAccessTo(identity);
        stack.Vault.SetSecret("s", "value-for-" + mode);
        stack.WriteClass("app", parameters, ["objectName: s", "objectType: secret"]);
        var target = stack.NewTarget();
        var secret = mode == "service-principal" ? new Dictionary<string, string> { ["clientid"] = AzureStack.SpClientId, ["clientsecret"] = AzureStack.SpClientSecret } : null;

        await stack.PublishAsync(stack.PublishRequest(target, "app", secret));

        Assert.Equal("value-for-" + mode, File.ReadAllText(Path.Combine(target, "s")));
        Assert.Contains(stack.Sandbox.Requests, r => r.Service == service && r.StatusCode == 200);
        Assert.DoesNotContain(AzureStack.SpClientSecret, stack.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Republish_AfterTheInterval_RewritesOnlyTheChangedObject()
    {
        await using var stack = await AzureStack.StartAsync(rotationInterval: "1s");
        stack.Vault.SetSecret("a", "a-1");
        stack.Vault.SetSecret("b", "b-1");
        stack.WriteClass("app", WorkloadIdentity, ["objectName: a", "objectType: secret"], ["objectName: b", "objectType: secret"]);
        var target = stack.NewTarget();
        var request = stack.PublishRequest(target, "app");
        await stack.PublishAsync(request);
        var unchanged = FileInode.Of(Path.Combine(target, "b"));

        stack.Vault.SetSecret("a", "a-2");
        await Task.Delay(TimeSpan.FromSeconds(1.2));
        await stack.PublishAsync(request);

        Assert.Equal("a-2", File.ReadAllText(Path.Combine(target, "a")));
        Assert.Equal("b-1", File.ReadAllText(Path.Combine(target, "b")));
        Assert.Equal(unchanged, FileInode.Of(Path.Combine(target, "b")));
    }

    [Fact]
    public async Task Publish_AgainstAThrottlingVault_Converges()
    {
        await using var stack = await AzureStack.StartAsync();
        for (var i = 0; i < 5; i++)
        {
            stack.Vault.SetSecret("s" + i, "v" + i);
        }

        stack.WriteClass("app", WorkloadIdentity, [.. Enumerable.Range(0, 5).Select(i => new[] { "objectName: s" + i, "objectType: secret" })]);
        stack.Sandbox.ThrottleNextRequests(4, TimeSpan.FromSeconds(1));
        var target = stack.NewTarget();

        await stack.PublishAsync(stack.PublishRequest(target, "app"));

        Assert.Equal(["v0", "v1", "v2", "v3", "v4"], Enumerable.Range(0, 5).Select(i => File.ReadAllText(Path.Combine(target, "s" + i))));
        Assert.Equal(4, stack.Sandbox.CountRequests("vault", "/", 429));
    }

    [Theory]
    [InlineData("bad-tenant")]
    [InlineData("missing-object")]
    [InlineData("disabled-version")]
    [InlineData("missing-node-publish-secret")]
    public async Task Publish_ThatCannotBeServed_FailsClearly_AndLeavesNothingMounted(string failure)
    {
        await using var stack = await AzureStack.StartAsync();
        var version = stack.Vault.SetSecret("s", "v");
        stack.Vault.SetSecretEnabled("s", version, enabled: false);
        stack.Vault.SetSecret("present", "p");
        var (parameters, obj, code, mentions) = failure switch
        {
            "bad-tenant" => (new Dictionary<string, string>(WorkloadIdentity) { ["tenantID"] = "00000000-0000-0000-0000-000000000bad" }, new[] { "objectName: present", "objectType: secret" }, StatusCode.Unauthenticated, "objectName:present"),
            "missing-object" => (WorkloadIdentity, new[] { "objectName: absent", "objectType: secret" }, StatusCode.NotFound, "absent"),
            "disabled-version" => (WorkloadIdentity, new[] { "objectName: s", "objectType: secret", "objectVersion: " + version }, StatusCode.FailedPrecondition, "SecretDisabled"),
            // No clientID and no mode: a service principal, whose nodePublishSecretRef the pod spec did not name.
            _ => (new Dictionary<string, string>(), new[] { "objectName: present", "objectType: secret" }, StatusCode.InvalidArgument, "nodePublishSecretRef"),
        };
        stack.WriteClass("app", parameters, ["objectName: present", "objectType: secret"], obj);
        var target = stack.NewTarget();

        var error = await Assert.ThrowsAsync<RpcException>(() => stack.PublishAsync(stack.PublishRequest(target, "app")));

        Assert.True(code == error.StatusCode, $"{error.StatusCode}: {error.Status.Detail}\n{stack.Output}");
        Assert.True(error.Status.Detail.Contains(mentions, StringComparison.OrdinalIgnoreCase), error.Status.Detail);
        Assert.DoesNotContain("\"p\"", error.Status.Detail, StringComparison.Ordinal);
        Assert.Null(MountTable.FileSystemAt(target));
        Assert.False(Directory.Exists(target));
    }
}
