using System.Text.Json.Nodes;

namespace Csi.Sandboxes.Vault.Tests;

public sealed class TokenAndPolicyTests : SandboxTestBase
{
    private const string MultiDenied = "1 error occurred:\n\t* permission denied\n\n";

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        Sandbox.WriteSecret("secret", "app/db", new Dictionary<string, string> { ["password"] = "s3cret" });
        Sandbox.WriteSecret("secret", "other/db", new Dictionary<string, string> { ["password"] = "nope" });
    }

    [Fact]
    public async Task Missing_token_is_403_permission_denied()
    {
        var reply = await Http.GetAsync("secret/data/app/db");
        Assert.Equal(403, reply.Status);
        Assert.Equal(["permission denied"], reply.Errors);
    }

    [Fact]
    public async Task Unknown_token_is_403_permission_denied_and_invalid_token()
    {
        var reply = await Http.GetAsync("secret/data/app/db", "hvs.unknown");
        Assert.Equal(403, reply.Status);
        Assert.Equal(["2 errors occurred:\n\t* permission denied\n\t* invalid token\n\n"], reply.Errors);
    }

    [Fact]
    public async Task Issued_token_expires_after_token_ttl()
    {
        var token = await LoginAppAsync();
        Assert.Equal(200, (await Http.GetAsync("secret/data/app/db", token)).Status);

        Clock.Advance(TimeSpan.FromMinutes(59));
        Assert.Equal(200, (await Http.GetAsync("secret/data/app/db", token)).Status);

        Clock.Advance(TimeSpan.FromMinutes(1));
        var expired = await Http.GetAsync("secret/data/app/db", token);
        Assert.Equal(403, expired.Status);
        Assert.Contains("invalid token", expired.Errors.Single());
        Assert.False(Sandbox.IsTokenValid(token));
    }

    [Fact]
    public async Task Lookup_renew_and_revoke_self()
    {
        var token = await LoginAppAsync();
        Clock.Advance(TimeSpan.FromMinutes(10));

        var lookup = await Http.GetAsync("auth/token/lookup-self", token);
        Assert.Equal(200, lookup.Status);
        Assert.Equal(3000, lookup.Data["ttl"]!.GetValue<long>());
        Assert.Equal(token, lookup.Data["id"]!.GetValue<string>());
        Assert.Equal("auth/kubernetes/login", lookup.Data["path"]!.GetValue<string>());
        Assert.Equal("kubernetes-default-app", lookup.Data["display_name"]!.GetValue<string>());

        var renew = await Http.PostAsync("auth/token/renew-self", new JsonObject { ["increment"] = "30m" }, token);
        Assert.Equal(200, renew.Status);
        Assert.Equal(1800, renew.Auth["lease_duration"]!.GetValue<long>());

        Assert.Equal(204, (await Http.PostAsync("auth/token/revoke-self", null, token)).Status);
        Assert.Equal(403, (await Http.GetAsync("secret/data/app/db", token)).Status);
    }

    [Fact]
    public async Task Policy_allows_only_its_paths_and_capabilities()
    {
        var token = await LoginAppAsync();

        Assert.Equal(200, (await Http.GetAsync("secret/data/app/db", token)).Status);

        var otherPath = await Http.GetAsync("secret/data/other/db", token);
        Assert.Equal(403, otherPath.Status);
        Assert.Equal([MultiDenied], otherPath.Errors);

        var write = await Http.PostAsync("secret/data/app/db", new JsonObject { ["data"] = new JsonObject { ["x"] = "y" } }, token);
        Assert.Equal(403, write.Status);

        var metadata = await Http.GetAsync("secret/metadata/app/db", token);
        Assert.Equal(403, metadata.Status);
    }

    [Fact]
    public async Task Create_capability_does_not_allow_updating_an_existing_secret()
    {
        Sandbox.WritePolicy("creator", [new VaultPolicyRule("secret/data/app/*", "create")]);
        var token = Sandbox.CreateToken(["creator"]);

        var create = await Http.PostAsync("secret/data/app/new", new JsonObject { ["data"] = new JsonObject { ["k"] = "v" } }, token);
        Assert.Equal(200, create.Status);

        var update = await Http.PostAsync("secret/data/app/new", new JsonObject { ["data"] = new JsonObject { ["k"] = "v2" } }, token);
        Assert.Equal(403, update.Status);
    }

    [Fact]
    public async Task Deny_and_most_specific_rule_win()
    {
        Sandbox.WritePolicy("mixed", [
            new VaultPolicyRule("secret/data/*", "read"),
            new VaultPolicyRule("secret/data/app/db", "deny"),
            new VaultPolicyRule("secret/data/+/db", "read", "update"),
        ]);
        var token = Sandbox.CreateToken(["mixed"]);

        Assert.Equal(403, (await Http.GetAsync("secret/data/app/db", token)).Status);
        Assert.Equal(200, (await Http.GetAsync("secret/data/other/db", token)).Status);
        Assert.Equal(200, (await Http.PostAsync("secret/data/other/db", new JsonObject { ["data"] = new JsonObject { ["k"] = "v" } }, token)).Status);
    }

    [Fact]
    public async Task List_is_checked_against_the_directory_path()
    {
        Sandbox.WritePolicy("lister", [new VaultPolicyRule("secret/metadata/app/*", "list")]);
        var token = Sandbox.CreateToken(["lister"]);

        var list = await Http.ListAsync("secret/metadata/app", token);
        Assert.Equal(200, list.Status);
        Assert.Equal(["db"], list.Data["keys"]!.AsArray().Select(k => k!.GetValue<string>()));
        Assert.Equal(200, (await Http.GetAsync("secret/metadata/app?list=true", token)).Status);
        Assert.Equal(403, (await Http.GetAsync("secret/metadata/app/db", token)).Status);
        Assert.Equal(403, (await Http.ListAsync("secret/metadata/other", token)).Status);
        Assert.Equal(400, (await Http.GetAsync("secret/metadata/app?list=maybe", token)).Status);
    }

    [Fact]
    public async Task Root_token_may_do_anything_and_default_policy_allows_lookup_self()
    {
        Assert.Equal(200, (await Http.GetAsync("secret/data/other/db", Sandbox.RootToken)).Status);
        Assert.Equal(200, (await Http.GetAsync("secret/metadata/other/db", Sandbox.RootToken)).Status);

        var lookup = await Http.GetAsync("auth/token/lookup-self", Sandbox.RootToken);
        Assert.Equal(["root"], lookup.Data["policies"]!.AsArray().Select(p => p!.GetValue<string>()));
        Assert.Null(lookup.Data["expire_time"]);

        var defaultOnly = Sandbox.CreateToken([]);
        Assert.Equal(200, (await Http.GetAsync("auth/token/lookup-self", defaultOnly)).Status);
        Assert.Equal(403, (await Http.GetAsync("secret/data/app/db", defaultOnly)).Status);
    }

    [Fact]
    public async Task Token_create_over_the_api_respects_parent_policies()
    {
        var child = await Http.PostAsync("auth/token/create", new JsonObject { ["policies"] = new JsonArray("app-read"), ["ttl"] = "5m" }, Sandbox.RootToken);
        Assert.Equal(200, child.Status);
        Assert.Equal(300, child.Auth["lease_duration"]!.GetValue<long>());
        var childToken = child.Auth["client_token"]!.GetValue<string>();
        Assert.Equal(200, (await Http.GetAsync("secret/data/app/db", childToken)).Status);

        Sandbox.WritePolicy("creator", [new VaultPolicyRule("auth/token/create", "update")]);
        var creator = Sandbox.CreateToken(["creator"]);
        var escalate = await Http.PostAsync("auth/token/create", new JsonObject { ["policies"] = new JsonArray("app-read") }, creator);
        Assert.Equal(400, escalate.Status);
        Assert.Equal(["child policies must be subset of parent"], escalate.Errors);
    }
}
