using static Csi.Providers.Vault.Tests.Functional.VaultProviderHarness;

namespace Csi.Providers.Vault.Tests.Functional;

/// <summary>Logins: kubernetes and jwt methods, audiences, the per-pod token cache and re-login.</summary>
public sealed class AuthTests : IAsyncLifetime
{
    private const string DbObject = "- {objectName: db-password, secretPath: secret/data/app/db, secretKey: password}";

    private VaultProviderHarness _h = null!;

    public async Task InitializeAsync() => _h = await StartAsync();

    public async Task DisposeAsync() => await _h.DisposeAsync();

    private int Logins(string mount = "kubernetes") => _h.Vault.CountRequests("POST", $"auth/{mount}/login");

    [Fact]
    public async Task Mount_Twice_ForOnePod_LogsInOnce()
    {
        await _h.MountAsync(Parameters(DbObject));
        await _h.MountAsync(Parameters(DbObject));
        await _h.MountAsync(Parameters("- {objectName: other, secretPath: kv/app/config, secretKey: api_key}"));

        Assert.Equal(1, Logins());
        Assert.Equal(1, _h.Provider.Tokens.Count);
    }

    [Fact]
    public async Task Mount_ForAnotherPod_LogsInForIt()
    {
        await _h.MountAsync(Parameters(DbObject), podUid: "pod-1");
        await _h.MountAsync(Parameters(DbObject), podUid: "pod-2");
        await _h.MountAsync(Parameters(DbObject), podUid: "pod-1");

        Assert.Equal(2, Logins());
    }

    [Fact]
    public async Task Mount_WhenVaultRefusesTheCachedToken_LogsInAgainOnce_AndSucceeds()
    {
        await _h.MountAsync(Parameters(DbObject));
        _h.Vault.FailNextRequests("secret/data/app/", 1, 403, "permission denied");

        var response = await _h.MountAsync(Parameters(DbObject));

        Assert.Equal(DbPassword, response.Files[0].Contents.ToStringUtf8());
        Assert.Equal(2, Logins());
        Assert.Contains(_h.Logs.Lines, l => l.Contains("VaultRelogin", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Mount_WithCacheSizeZero_LogsInEveryTime()
    {
        await using var h = await StartAsync(configure: o => o.CacheSize = 0);
        await h.MountAsync(Parameters(DbObject));
        await h.MountAsync(Parameters(DbObject));
        Assert.Equal(2, h.Vault.CountRequests("POST", "auth/kubernetes/login"));
    }

    [Fact]
    public async Task Mount_ThroughAJwtAuthMount_LogsInThere()
    {
        var response = await _h.MountAsync(Parameters(DbObject, ("vaultAuthMountPath", "jwt")));

        Assert.Equal(DbPassword, response.Files[0].Contents.ToStringUtf8());
        Assert.Equal((1, 0), (Logins("jwt"), Logins()));
    }

    [Fact]
    public async Task Mount_WithTheVaultMountFlag_UsesThatMount()
    {
        await using var h = await StartAsync(configure: o => o.VaultMount = "jwt");
        await h.MountAsync(Parameters(DbObject));
        Assert.Equal(1, h.Vault.CountRequests("POST", "auth/jwt/login"));
    }

    [Fact]
    public async Task Mount_WithACustomAudience_LogsInWithThatAudiencesToken()
    {
        var response = await _h.MountAsync(Parameters(DbObject, ("roleName", "custom-audience"), ("audience", "vault-prod")), audience: "vault-prod");
        Assert.Equal(DbPassword, response.Files[0].Contents.ToStringUtf8());
    }

    [Fact]
    public async Task Mount_SecondMountWithoutToken_UsesTheCachedVaultToken()
    {
        await _h.MountAsync(Parameters(DbObject));
        var response = await _h.Client.MountAsync(_h.Request(Parameters(DbObject), withTokens: false)).ResponseAsync;
        Assert.Equal(DbPassword, response.Files[0].Contents.ToStringUtf8());
    }

    [Fact]
    public async Task Logs_NeverHoldTokensOrSecrets()
    {
        await _h.MountAsync(Parameters(DbObject + "\n- {objectName: whole, secretPath: kv/app/config}"));
        _h.Vault.FailNextRequests("secret/data/app/", 1, 403, "permission denied");
        await _h.MountAsync(Parameters(DbObject));
        await _h.MountFailsAsync(_h.Request(Parameters(DbObject, ("roleName", "nope"))));
        await _h.MountFailsAsync(_h.Request(Parameters("- {objectName: x, secretPath: secret/data/app/db, secretKey: nope}")));

        Assert.NotEmpty(_h.Logs.Lines);
        Assert.Contains(_h.Logs.Lines, l => l.Contains("VaultLogin", StringComparison.Ordinal));
        _h.AssertNoSecretsIn(_h.Logs.All);
    }
}
