using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using SecretsStore.Provider.V1Alpha1;
using static Csi.Providers.Vault.Tests.Functional.VaultProviderHarness;

namespace Csi.Providers.Vault.Tests.Functional;

/// <summary>Mounts that succeed: files, modes, versions and the requests Vault sees.</summary>
public sealed class MountTests : IAsyncLifetime
{
    private VaultProviderHarness _h = null!;

    public async Task InitializeAsync() => _h = await StartAsync();

    public async Task DisposeAsync() => await _h.DisposeAsync();

    private static Dictionary<string, string> Files(MountResponse response) => response.Files.ToDictionary(f => f.Path, f => f.Contents.ToStringUtf8());

    private static Dictionary<string, string> Versions(MountResponse response) => response.ObjectVersion.ToDictionary(v => v.Id, v => v.Version);

    [Fact]
    public async Task Version_NamesTheProvider()
    {
        var version = await _h.Client.VersionAsync(new VersionRequest { Version = "v1alpha1" });
        Assert.Equal(("v1alpha1", "vault-csi-provider"), (version.Version, version.RuntimeName));
    }

    [Fact]
    public async Task Mount_KvV2AndKvV1_WritesEachValue_WithItsModeAndVersion()
    {
        var response = await _h.MountAsync(Parameters("""
            - objectName: db-password
              secretPath: secret/data/app/db
              secretKey: password
            - objectName: config/api-key
              secretPath: kv/app/config
              secretKey: api_key
              filePermission: 0600
            - objectName: greeting
              secretPath: /v1/kv/app/config
              secretKey: greeting_b64
              encoding: base64
            """));

        Assert.Equal(new Dictionary<string, string> { ["db-password"] = DbPassword, ["config/api-key"] = ApiKey, ["greeting"] = "hello" }, Files(response));
        Assert.Equal([420, 384, 420], response.Files.Select(f => f.Mode));
        var versions = Versions(response);
        Assert.Equal("1", versions["db-password"]);
        Assert.Matches("^[A-Za-z0-9_-]{43}=$", versions["config/api-key"]);
        Assert.NotEqual(versions["config/api-key"], versions["greeting"]);
        _h.AssertNoSecretsIn(string.Join(' ', versions.Values));
    }

    [Fact]
    public async Task Mount_WithoutSecretKey_WritesTheWholeResponseAsJson()
    {
        var response = await _h.MountAsync(Parameters("- objectName: db.json\n  secretPath: secret/data/app/db"));

        using var json = JsonDocument.Parse(response.Files[0].Contents.Memory);
        var root = json.RootElement;
        Assert.Equal(["request_id", "lease_id", "lease_duration", "renewable", "data", "warnings", "mount_type"], root.EnumerateObject().Select(p => p.Name));
        Assert.Equal(DbPassword, root.GetProperty("data").GetProperty("data").GetProperty("password").GetString());
        Assert.Equal(1, root.GetProperty("data").GetProperty("metadata").GetProperty("version").GetInt32());
    }

    [Fact]
    public async Task Mount_AfterAKvV2Write_ReportsTheNewVersionAndContent()
    {
        var objects = Parameters("- {objectName: db-password, secretPath: secret/data/app/db, secretKey: password}");
        var first = await _h.MountAsync(objects);
        _h.Vault.WriteSecret("secret", "app/db", new Dictionary<string, string> { ["password"] = "rotated-v2" });
        var second = await _h.MountAsync(objects);

        Assert.Equal(("1", "2"), (Versions(first)["db-password"], Versions(second)["db-password"]));
        Assert.Equal("rotated-v2", Files(second)["db-password"]);
    }

    [Fact]
    public async Task Mount_KvV1_VersionIsStableUntilTheContentChanges()
    {
        var objects = Parameters("- {objectName: key, secretPath: kv/app/config, secretKey: api_key}");
        var first = Versions(await _h.MountAsync(objects))["key"];
        var unchanged = Versions(await _h.MountAsync(objects))["key"];
        _h.Vault.WriteSecret("kv", "app/config", new Dictionary<string, string> { ["api_key"] = "rotated" });
        var changed = Versions(await _h.MountAsync(objects))["key"];

        Assert.Equal(first, unchanged);
        Assert.NotEqual(first, changed);
    }

    [Fact]
    public async Task Mount_WholeKvV1Response_KeepsItsVersionAcrossReads()
    {
        var objects = Parameters("- {objectName: config.json, secretPath: kv/app/config}");
        var first = await _h.MountAsync(objects);
        var second = await _h.MountAsync(objects);

        Assert.NotEqual(Files(first)["config.json"], Files(second)["config.json"]);
        Assert.Equal(Versions(first)["config.json"], Versions(second)["config.json"]);
    }

    [Fact]
    public async Task Mount_KvV2SpecificVersion_ReadsIt()
    {
        _h.Vault.WriteSecret("secret", "app/db", new Dictionary<string, string> { ["password"] = "rotated-v2" });
        var response = await _h.MountAsync(Parameters("- {objectName: old, secretPath: 'secret/data/app/db?version=1', secretKey: password}"));
        Assert.Equal((DbPassword, "1"), (Files(response)["old"], Versions(response)["old"]));
    }

    [Fact]
    public async Task Mount_TwoObjectsOnOneDynamicPath_ShareOneRequest()
    {
        var response = await _h.MountAsync(Parameters("""
            - {objectName: db-username, secretPath: database/creds/app, secretKey: username}
            - {objectName: db-password, secretPath: database/creds/app, secretKey: password}
            """));

        Assert.Equal(1, _h.Vault.CountRequests("GET", "database/creds/app"));
        var issued = Assert.Single(_h.Vault.GetIssuedDatabaseUsernames());
        Assert.Equal(issued, Files(response)["db-username"]);
        Assert.Equal(20, Files(response)["db-password"].Length);
    }

    [Fact]
    public async Task Mount_PkiIssue_SendsSecretArgs_AndSharesOneCertificate()
    {
        var response = await _h.MountAsync(Parameters("""
            - objectName: tls.crt
              secretPath: pki/issue/web
              method: PUT
              secretKey: certificate
              secretArgs: {common_name: web.example.com, ttl: 1h}
            - objectName: tls.key
              secretPath: pki/issue/web
              method: PUT
              secretKey: private_key
              secretArgs: {common_name: web.example.com, ttl: 1h}
              filePermission: 0400
            """));

        Assert.Equal(1, _h.Vault.CountRequests("PUT", "pki/issue/web"));
        using var certificate = X509Certificate2.CreateFromPem(Files(response)["tls.crt"], Files(response)["tls.key"]);
        Assert.Equal("CN=web.example.com", certificate.Subject);
        Assert.Equal(256, response.Files[1].Mode);
    }

    [Fact]
    public async Task Mount_ManyPaths_AreFetchedOnePerPath_AfterOneLogin()
    {
        for (var i = 0; i < 12; i++)
        {
            _h.Vault.WriteSecret("secret", $"app/s{i}", new Dictionary<string, string> { ["v"] = $"value-{i}" });
        }
        var objects = string.Join('\n', Enumerable.Range(0, 12).Select(i => $"- {{objectName: s{i}, secretPath: secret/data/app/s{i}, secretKey: v}}"));

        var response = await _h.MountAsync(Parameters(objects));

        Assert.Equal(Enumerable.Range(0, 12).Select(i => $"value-{i}"), response.Files.Select(f => f.Contents.ToStringUtf8()));
        Assert.Equal(1, _h.Vault.CountRequests("POST", "auth/kubernetes/login"));
        Assert.Equal(12, _h.Vault.CountRequests("GET", "secret/data/app/s"));
    }

    [Fact]
    public async Task Mount_SendsTheVaultRequestHeader_AndNoNamespaceByDefault()
    {
        await _h.MountAsync(Parameters("- {objectName: a, secretPath: secret/data/app/db, secretKey: password}"));
        Assert.All(_h.Vault.RequestLog, e => Assert.Null(e.NamespaceHeader));
    }

    [Fact]
    public async Task Mount_InANamespace_SendsTheNamespaceHeader()
    {
        _h.Vault.CreateNamespace("team-a");
        _h.Vault.EnableKvV2("secret", "team-a");
        _h.Vault.WriteSecret("secret", "app/db", new Dictionary<string, string> { ["password"] = "team-a-password" }, "team-a");
        _h.Vault.WritePolicy("app", [new Csi.Sandboxes.Vault.VaultPolicyRule("secret/data/app/*", "read")], "team-a");
        _h.Vault.EnableKubernetesAuth(vaultNamespace: "team-a");
        _h.Vault.WriteAuthRole("kubernetes", new Csi.Sandboxes.Vault.VaultAuthRole
        {
            Name = Role, BoundServiceAccountNames = [ServiceAccount], BoundServiceAccountNamespaces = [PodNamespace], Audience = "vault", TokenPolicies = ["app"],
        }, "team-a");

        var response = await _h.MountAsync(Parameters("- {objectName: a, secretPath: secret/data/app/db, secretKey: password}", ("vaultNamespace", "team-a")));

        Assert.Equal("team-a-password", Files(response)["a"]);
        Assert.All(_h.Vault.RequestLog, e => Assert.Equal("team-a", e.NamespaceHeader));
    }
}
