using System.Text.Json.Nodes;

namespace Csi.Sandboxes.Vault.Tests;

public sealed class NamespaceTests : SandboxTestBase
{
    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        foreach (var ns in new[] { "ns1", "ns2" })
        {
            Sandbox.CreateNamespace(ns);
            Sandbox.EnableKvV2("secret", ns);
            Sandbox.WriteSecret("secret", "app/db", new Dictionary<string, string> { ["password"] = "in-" + ns }, ns);
            Sandbox.WritePolicy("app-read", [new VaultPolicyRule("secret/data/app/*", "read")], ns);
            Sandbox.EnableKubernetesAuth(vaultNamespace: ns);
            Sandbox.WriteAuthRole("kubernetes", new VaultAuthRole
            {
                Name = "app",
                BoundServiceAccountNames = ["app"],
                BoundServiceAccountNamespaces = ["default"],
                TokenPolicies = ["app-read"],
            }, ns);
        }
    }

    [Fact]
    public async Task Header_and_path_prefix_select_the_same_namespace()
    {
        var token = await Http.LoginTokenAsync("app", AppJwt(), ns: "ns1");

        var viaHeader = await Http.GetAsync("secret/data/app/db", token, ns: "ns1");
        Assert.Equal(200, viaHeader.Status);
        Assert.Equal("in-ns1", viaHeader.Data["data"]!["password"]!.GetValue<string>());

        var viaPath = await Http.GetAsync("ns1/secret/data/app/db", token);
        Assert.Equal(200, viaPath.Status);
        Assert.Equal("in-ns1", viaPath.Data["data"]!["password"]!.GetValue<string>());

        var viaPathLogin = await Http.PostAsync("ns2/auth/kubernetes/login", new JsonObject { ["role"] = "app", ["jwt"] = AppJwt() });
        Assert.Equal(200, viaPathLogin.Status);
        var ns2Token = viaPathLogin.Auth["client_token"]!.GetValue<string>();
        Assert.Equal("in-ns2", (await Http.GetAsync("ns2/secret/data/app/db", ns2Token)).Data["data"]!["password"]!.GetValue<string>());
    }

    [Fact]
    public async Task Tokens_do_not_cross_namespaces()
    {
        var ns1Token = await Http.LoginTokenAsync("app", AppJwt(), ns: "ns1");

        var inNs2 = await Http.GetAsync("secret/data/app/db", ns1Token, ns: "ns2");
        Assert.Equal(403, inNs2.Status);
        Assert.Contains("permission denied", inNs2.Errors.Single());

        var inRoot = await Http.GetAsync("secret/data/app/db", ns1Token);
        Assert.Equal(403, inRoot.Status);

        var rootLogin = await Http.LoginTokenAsync("app", AppJwt());
        Assert.Equal(403, (await Http.GetAsync("secret/data/app/db", rootLogin, ns: "ns1")).Status);
    }

    [Fact]
    public async Task Mounts_and_roles_are_per_namespace()
    {
        Sandbox.EnableKvV1("only-in-ns2", "ns2");
        var missing = await Http.GetAsync("only-in-ns2/x", Sandbox.RootToken, ns: "ns1");
        Assert.Equal(404, missing.Status);
        Assert.Contains("no handler for route", missing.Errors.Single());

        Sandbox.WriteAuthRole("kubernetes", new VaultAuthRole { Name = "ns2-only", BoundServiceAccountNames = ["app"], BoundServiceAccountNamespaces = ["default"] }, "ns2");
        var wrongNs = await Http.LoginAsync("ns2-only", AppJwt(), ns: "ns1");
        Assert.Equal(400, wrongNs.Status);
    }

    [Fact]
    public async Task Root_token_works_in_every_namespace_and_child_namespaces_nest()
    {
        Assert.Equal("in-ns2", (await Http.GetAsync("secret/data/app/db", Sandbox.RootToken, ns: "ns2")).Data["data"]!["password"]!.GetValue<string>());

        Sandbox.CreateNamespace("ns1/team");
        Sandbox.EnableKvV1("kv", "ns1/team");
        Sandbox.WriteSecret("kv", "x", new Dictionary<string, string> { ["k"] = "team" }, "ns1/team");

        Assert.Equal(200, (await Http.GetAsync("team/kv/x", Sandbox.RootToken, ns: "ns1")).Status);
        Assert.Equal(200, (await Http.GetAsync("ns1/team/kv/x", Sandbox.RootToken)).Status);
        Assert.Equal(200, (await Http.GetAsync("kv/x", Sandbox.RootToken, ns: "ns1/team/")).Status);

        // A parent-namespace policy may grant a child-namespace path.
        Sandbox.WritePolicy("team-reader", [new VaultPolicyRule("team/kv/*", "read")], "ns1");
        var parentToken = Sandbox.CreateToken(["team-reader"], vaultNamespace: "ns1");
        Assert.Equal(200, (await Http.GetAsync("kv/x", parentToken, ns: "ns1/team")).Status);
    }

    [Fact]
    public async Task Unknown_namespace_is_denied()
    {
        var reply = await Http.GetAsync("secret/data/app/db", await LoginAppAsync(), ns: "missing");
        Assert.Equal(403, reply.Status);
        Assert.Equal(404, (await Http.GetAsync("secret/data/app/db", Sandbox.RootToken, ns: "missing")).Status);
    }

    [Fact]
    public async Task Request_log_records_the_resolved_namespace()
    {
        await Http.GetAsync("ns1/secret/data/app/db", Sandbox.RootToken);
        await Http.GetAsync("secret/data/app/db", Sandbox.RootToken, ns: "ns1");
        await Http.GetAsync("secret/data/app/db", Sandbox.RootToken, ns: "ns2");

        Assert.Equal(2, Sandbox.CountRequests(vaultNamespace: "ns1"));
        Assert.Equal(1, Sandbox.CountRequests(vaultNamespace: "ns2/"));
        Assert.Contains(Sandbox.RequestLog, e => e.NamespaceHeader == "ns2" && e.Namespace == "ns2/");
    }
}
