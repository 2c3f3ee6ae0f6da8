namespace Csi.Sandboxes.Vault.Tests;

public sealed class SeedTests
{
    private const string Seed = """
        {
          // comments are allowed
          "namespaces": ["team-a"],
          "mounts": [
            { "path": "kv", "type": "kv", "version": 1 },
            { "path": "secret", "type": "kv-v2", "namespace": "team-a" },
            { "path": "database", "type": "database", "roles": { "readonly": { "default_ttl": "10m" } } },
            { "path": "aws", "type": "generic", "mount_type": "aws",
              "secrets": { "creds/app": { "data": { "access_key": "AKIA" }, "lease_duration": "15m", "renewable": true } } }
          ],
          "secrets": [
            { "mount": "secret", "path": "app/db", "data": { "password": "v1" } },
            { "mount": "secret", "path": "app/db", "data": { "password": "v2" } },
            { "mount": "kv", "path": "plain", "data": { "k": "v" } },
            { "mount": "secret", "path": "app/db", "namespace": "team-a", "data": { "password": "team" } }
          ],
          "policies": [
            { "name": "app", "rules": [ { "path": "secret/data/app/*", "capabilities": ["read"] },
                                        { "path": "database/creds/readonly", "capabilities": ["read"] } ] }
          ],
          "auth": [
            { "type": "kubernetes", "path": "kubernetes",
              "roles": { "app": { "bound_service_account_names": ["app"], "bound_service_account_namespaces": ["default"],
                                  "audience": "vault", "token_ttl": "20m", "token_policies": ["app"] } } },
            { "type": "jwt", "path": "jwt", "bound_issuer": "https://kubernetes.default.svc.cluster.local",
              "roles": { "app": { "bound_audiences": ["vault"], "bound_subject": "system:serviceaccount:default:app", "token_policies": "app" } } }
          ]
        }
        """;

    [Fact]
    public async Task Seed_document_configures_everything_reachable_over_http()
    {
        await using var sandbox = await VaultSandbox.StartAsync();
        sandbox.ApplySeed(Seed);
        using var http = new VaultHttp(sandbox.Address);

        var jwt = sandbox.MintServiceAccountToken("default", "app", "vault");
        var login = await http.LoginAsync("app", jwt);
        Assert.Equal(1200, login.Auth["lease_duration"]!.GetValue<long>());
        var token = login.Auth["client_token"]!.GetValue<string>();

        var secret = await http.GetAsync("secret/data/app/db", token);
        Assert.Equal("v2", secret.Data["data"]!["password"]!.GetValue<string>());
        Assert.Equal(2, secret.Data["metadata"]!["version"]!.GetValue<int>());

        Assert.Equal(200, (await http.GetAsync("database/creds/readonly", token)).Status);
        Assert.Equal(600, (await http.GetAsync("database/creds/readonly", token)).Json["lease_duration"]!.GetValue<long>());
        Assert.Equal("v", (await http.GetAsync("kv/plain", sandbox.RootToken)).Data["k"]!.GetValue<string>());
        Assert.Equal("AKIA", (await http.GetAsync("aws/creds/app", sandbox.RootToken)).Data["access_key"]!.GetValue<string>());
        Assert.Equal("team", (await http.GetAsync("secret/data/app/db", sandbox.RootToken, "team-a")).Data["data"]!["password"]!.GetValue<string>());
        Assert.Equal(200, (await http.LoginAsync("app", jwt, mount: "jwt")).Status);
    }

    [Fact]
    public async Task Invalid_seed_is_rejected_with_a_reason()
    {
        await using var sandbox = await VaultSandbox.StartAsync();
        Assert.Throws<FormatException>(() => sandbox.ApplySeed("{ \"mounts\": [ { \"path\": \"x\", \"type\": \"consul\" } ] }"));
        Assert.Throws<FormatException>(() => sandbox.ApplySeed("not json"));
        Assert.Throws<ArgumentException>(() => sandbox.ApplySeed(
            "{ \"auth\": [ { \"type\": \"kubernetes\", \"roles\": { \"r\": { \"bound_service_account_names\": [\"a\"] } } } ] }"));
    }
}
