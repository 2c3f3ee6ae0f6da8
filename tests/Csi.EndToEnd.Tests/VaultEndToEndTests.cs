using System.Globalization;
using Csi.Sandboxes.Common;
using Csi.Testing;
using Grpc.Core;

namespace Csi.EndToEnd.Tests;

/// <summary>Driver and Vault provider binaries as processes, Vault sandbox on loopback, kubelet's requests.</summary>
[Collection(nameof(EndToEnd))]
public sealed class VaultEndToEndTests
{
    private const string Objects = """
        - objectName: "password"
          secretPath: "secret/data/app/db"
          secretKey: "password"
          filePermission: 0600
        - objectName: "username"
          secretPath: "secret/data/app/db"
          secretKey: "username"
        - objectName: "config"
          secretPath: "kv/app/config"
          secretKey: "level"
        - objectName: "api.json"
          secretPath: "secret/data/app/api"
        """;

    [Fact]
    public async Task Publish_MountsTheObjects_WithTheirModes_IntoATmpfs()
    {
        await using var stack = await VaultStack.StartAsync();
        stack.WriteClass("app", Objects);
        var target = stack.NewTarget();

        await stack.PublishAsync(stack.PublishRequest(target, "app"));

        Assert.Equal("tmpfs", MountTable.FileSystemAt(target));
        Assert.Equal("pw-1", File.ReadAllText(Path.Combine(target, "password")));
        Assert.Equal("app", File.ReadAllText(Path.Combine(target, "username")));
        Assert.Equal("debug", File.ReadAllText(Path.Combine(target, "config")));
        Assert.Contains("\"key\":\"api-1\"", File.ReadAllText(Path.Combine(target, "api.json")).Replace(" ", "", StringComparison.Ordinal), StringComparison.Ordinal);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(target, "..data", "password")));
        Assert.Equal((UnixFileMode)Convert.ToInt32("644", 8), File.GetUnixFileMode(Path.Combine(target, "..data", "username")));

        await stack.UnpublishAsync(target);
        Assert.Null(MountTable.FileSystemAt(target));
        Assert.False(Directory.Exists(target));
    }

    [Fact]
    public async Task Publish_ObjectsOnOneDynamicPath_ShareOneLease()
    {
        await using var stack = await VaultStack.StartAsync();
        stack.WriteClass("db", """
            - objectName: "db-user"
              secretPath: "database/creds/readonly"
              secretKey: "username"
            - objectName: "db-pass"
              secretPath: "database/creds/readonly"
              secretKey: "password"
            """);
        var target = stack.NewTarget();

        await stack.PublishAsync(stack.PublishRequest(target, "db"));

        Assert.Equal(1, stack.Vault.CountRequests(pathPrefix: "database/creds/readonly"));
        var issued = Assert.Single(stack.Vault.GetIssuedDatabaseUsernames("database"));
        Assert.Equal(issued, File.ReadAllText(Path.Combine(target, "db-user")));
        Assert.NotEmpty(File.ReadAllText(Path.Combine(target, "db-pass")));
    }

    [Fact]
    public async Task Republish_AfterTheInterval_PicksUpANewVersion_AndLeavesUnchangedFilesAlone()
    {
        await using var stack = await VaultStack.StartAsync(rotationInterval: "1s");
        stack.WriteClass("app", Objects);
        var target = stack.NewTarget();
        await stack.PublishAsync(stack.PublishRequest(target, "app"));
        var configInode = FileInode.Of(Path.Combine(target, "config"));
        var logins = stack.Vault.CountRequests(pathPrefix: "auth/kubernetes/login");

        stack.Vault.WriteSecret("secret", "app/db", new Dictionary<string, string> { ["username"] = "app", ["password"] = "pw-2" });
        await Task.Delay(TimeSpan.FromSeconds(1.2));
        await stack.PublishAsync(stack.PublishRequest(target, "app"));

        Assert.Equal("pw-2", File.ReadAllText(Path.Combine(target, "password")));
        Assert.Equal("app", File.ReadAllText(Path.Combine(target, "username")));
        Assert.Equal(configInode, FileInode.Of(Path.Combine(target, "config")));
        Assert.Equal(logins, stack.Vault.CountRequests(pathPrefix: "auth/kubernetes/login"));
    }

    [Fact]
    public async Task Publish_WithARoleVaultDoesNotKnow_FailsClearly_AndMountsNothing()
    {
        await using var stack = await VaultStack.StartAsync();
        stack.WriteClass("wrong-role", Objects, role: "nobody");
        var target = stack.NewTarget();
        var request = stack.PublishRequest(target, "wrong-role");

        var error = await Assert.ThrowsAsync<RpcException>(() => stack.PublishAsync(request));

        AssertCleanFailure(stack, target, error, "nobody");
        Assert.DoesNotContain(request.VolumeContext["csi.storage.k8s.io/serviceAccount.tokens"], error.Status.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Publish_WithAnExpiredToken_FailsClearly_AndMountsNothing()
    {
        await using var stack = await VaultStack.StartAsync();
        stack.WriteClass("app", Objects);
        var target = stack.NewTarget();
        var expired = stack.Vault.TokenIssuer.Mint(new ServiceAccountTokenRequest
        {
            Namespace = VaultStack.PodNamespace,
            ServiceAccountName = VaultStack.ServiceAccount,
            Audiences = ["vault"],
            IssuedAt = DateTimeOffset.UtcNow.AddHours(-2),
            Lifetime = TimeSpan.FromHours(1),
        });

        var error = await Assert.ThrowsAsync<RpcException>(() => stack.PublishAsync(stack.PublishRequest(target, "app", expired)));

        AssertCleanFailure(stack, target, error, "token is expired");
        Assert.DoesNotContain(expired, error.Status.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Publish_WithAKeyTheSecretLacks_NamesTheKey_AndMountsNothing()
    {
        await using var stack = await VaultStack.StartAsync();
        stack.WriteClass("missing-key", """
            - objectName: "password"
              secretPath: "secret/data/app/db"
              secretKey: "no-such-key"
            """);
        var target = stack.NewTarget();

        var error = await Assert.ThrowsAsync<RpcException>(() => stack.PublishAsync(stack.PublishRequest(target, "missing-key")));

        AssertCleanFailure(stack, target, error, "no-such-key");
        Assert.DoesNotContain("pw-1", error.Status.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Publish_WhenVaultIsUnreachable_NamesTheAddress_AndMountsNothing()
    {
        await using var stack = await VaultStack.StartAsync();
        var nowhere = $"http://127.0.0.1:{LoopbackPort.GetFree().ToString(CultureInfo.InvariantCulture)}";
        stack.WriteClass("nowhere", Objects, vaultAddress: nowhere);
        var target = stack.NewTarget();

        var error = await Assert.ThrowsAsync<RpcException>(() => stack.PublishAsync(stack.PublishRequest(target, "nowhere")));

        AssertCleanFailure(stack, target, error, nowhere.Replace("http://", "", StringComparison.Ordinal));
    }

    private static void AssertCleanFailure(VaultStack stack, string target, RpcException error, string mentions)
    {
        Assert.NotEqual(StatusCode.OK, error.StatusCode);
        Assert.True(error.Status.Detail.Contains(mentions, StringComparison.OrdinalIgnoreCase), $"\"{error.Status.Detail}\" does not mention \"{mentions}\"\n{stack.Output}");
        Assert.Null(MountTable.FileSystemAt(target));
        Assert.False(Directory.Exists(target));
    }
}
