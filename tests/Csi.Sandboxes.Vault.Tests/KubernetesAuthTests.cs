using System.Text;
using System.Text.Json.Nodes;
using Csi.Sandboxes.Common;

namespace Csi.Sandboxes.Vault.Tests;

public sealed class KubernetesAuthTests : SandboxTestBase
{
    [Fact]
    public async Task Login_returns_vaults_auth_response()
    {
        var jwt = AppJwt();
        var reply = await Http.LoginAsync("app", jwt);

        Assert.Equal(200, reply.Status);
        var auth = reply.Auth;
        Assert.StartsWith("hvs.", auth["client_token"]!.GetValue<string>());
        Assert.False(string.IsNullOrEmpty(auth["accessor"]!.GetValue<string>()));
        Assert.Equal(["app-read", "default"], auth["policies"]!.AsArray().Select(p => p!.GetValue<string>()));
        Assert.Equal(["app-read", "default"], auth["token_policies"]!.AsArray().Select(p => p!.GetValue<string>()));
        Assert.Equal(3600, auth["lease_duration"]!.GetValue<long>());
        Assert.True(auth["renewable"]!.GetValue<bool>());
        Assert.Equal("service", auth["token_type"]!.GetValue<string>());
        Assert.True(auth["orphan"]!.GetValue<bool>());

        var claims = ServiceAccountTokenIssuer.ReadClaimsUnverified(jwt)!;
        var metadata = auth["metadata"]!.AsObject();
        Assert.Equal("app", metadata["role"]!.GetValue<string>());
        Assert.Equal("app", metadata["service_account_name"]!.GetValue<string>());
        Assert.Equal("default", metadata["service_account_namespace"]!.GetValue<string>());
        Assert.Equal(claims.ServiceAccountUid, metadata["service_account_uid"]!.GetValue<string>());
        Assert.Equal(string.Empty, metadata["service_account_secret_name"]!.GetValue<string>());

        Assert.Null(reply.Json["data"]);
        Assert.Equal("kubernetes", reply.Json["mount_type"]!.GetValue<string>());
        Assert.Equal(string.Empty, reply.Json["lease_id"]!.GetValue<string>());
    }

    [Fact]
    public async Task Same_service_account_gets_the_same_entity()
    {
        var first = await Http.LoginAsync("app", AppJwt());
        var second = await Http.LoginAsync("app", AppJwt());
        Assert.Equal(first.Auth["entity_id"]!.GetValue<string>(), second.Auth["entity_id"]!.GetValue<string>());
        Assert.NotEqual(first.Auth["client_token"]!.GetValue<string>(), second.Auth["client_token"]!.GetValue<string>());
    }

    [Fact]
    public async Task Wrong_audience_is_403()
    {
        var reply = await Http.LoginAsync("app", AppJwt(audience: "https://kubernetes.default.svc.cluster.local"));
        Assert.Equal(403, reply.Status);
        Assert.Equal(["invalid audience (aud) claim: audience claim does not match any expected audience"], reply.Errors);
    }

    [Fact]
    public async Task Unbound_namespace_is_403()
    {
        var reply = await Http.LoginAsync("app", AppJwt(ns: "other"));
        Assert.Equal(403, reply.Status);
        Assert.Equal(["namespace not authorized"], reply.Errors);
    }

    [Fact]
    public async Task Unbound_service_account_is_403()
    {
        var reply = await Http.LoginAsync("app", AppJwt(sa: "intruder"));
        Assert.Equal(403, reply.Status);
        Assert.Equal(["service account name not authorized"], reply.Errors);
    }

    [Fact]
    public async Task Expired_jwt_is_403_after_the_minute_of_clock_skew()
    {
        var jwt = Sandbox.TokenIssuer.Mint(new ServiceAccountTokenRequest
        {
            Namespace = "default",
            ServiceAccountName = "app",
            Audiences = ["vault"],
            Lifetime = TimeSpan.FromMinutes(10),
            IssuedAt = Clock.GetUtcNow() - TimeSpan.FromMinutes(10) - TimeSpan.FromSeconds(30),
        });

        // 30s past exp is still inside cap's 60s leeway.
        Assert.Equal(200, (await Http.LoginAsync("app", jwt)).Status);

        Clock.Advance(TimeSpan.FromSeconds(31));
        var reply = await Http.LoginAsync("app", jwt);
        Assert.Equal(403, reply.Status);
        Assert.Equal(["invalid expiration time (exp) claim: token is expired"], reply.Errors);
    }

    [Fact]
    public async Task Tampered_payload_is_403_permission_denied()
    {
        var parts = AppJwt().Split('.');
        var payload = JsonNode.Parse(Encoding.UTF8.GetString(System.Buffers.Text.Base64Url.DecodeFromChars(parts[1])))!.AsObject();
        payload["kubernetes.io"]!["serviceaccount"]!["name"] = "admin";
        var forged = parts[0] + "." + System.Buffers.Text.Base64Url.EncodeToString(Encoding.UTF8.GetBytes(payload.ToJsonString())) + "." + parts[2];

        var reply = await Http.LoginAsync("app", forged);
        Assert.Equal(403, reply.Status);
        Assert.Equal(["permission denied"], reply.Errors);
    }

    [Fact]
    public async Task Token_from_another_signer_is_403_permission_denied()
    {
        using var rogue = new ServiceAccountTokenIssuer(timeProvider: Clock);
        var reply = await Http.LoginAsync("app", rogue.Mint("default", "app", "vault"));
        Assert.Equal(403, reply.Status);
        Assert.Equal(["permission denied"], reply.Errors);
    }

    [Fact]
    public async Task Garbage_jwt_is_403_permission_denied()
    {
        var reply = await Http.LoginAsync("app", "not-a-jwt");
        Assert.Equal(403, reply.Status);
        Assert.Equal(["permission denied"], reply.Errors);
    }

    [Fact]
    public async Task Missing_role_missing_jwt_and_unknown_role_are_400()
    {
        var noRole = await Http.PostAsync("auth/kubernetes/login", new JsonObject { ["jwt"] = AppJwt() });
        Assert.Equal(400, noRole.Status);
        Assert.Equal(["missing role"], noRole.Errors);

        var noJwt = await Http.PostAsync("auth/kubernetes/login", new JsonObject { ["role"] = "app" });
        Assert.Equal(400, noJwt.Status);
        Assert.Equal(["missing jwt"], noJwt.Errors);

        var unknown = await Http.LoginAsync("nope", AppJwt());
        Assert.Equal(400, unknown.Status);
        Assert.Equal(["invalid role name \"nope\""], unknown.Errors);
    }

    [Fact]
    public async Task Login_to_an_auth_path_that_is_not_mounted_is_403()
    {
        var reply = await Http.LoginAsync("app", AppJwt(), mount: "k8s-missing");
        Assert.Equal(403, reply.Status);
        Assert.Equal(["permission denied"], reply.Errors);
    }

    [Fact]
    public async Task Wildcards_bind_any_service_account_and_globs_match()
    {
        Sandbox.EnableKubernetesAuth("k8s-wide");
        Sandbox.WriteAuthRole("k8s-wide", new VaultAuthRole
        {
            Name = "Any",
            BoundServiceAccountNames = ["*"],
            BoundServiceAccountNamespaces = ["team-*"],
            TokenPolicies = ["app-read"],
        });

        var ok = await Http.LoginAsync("any", AppJwt(ns: "team-a", sa: "whatever", audience: "anything"), mount: "k8s-wide");
        Assert.Equal(200, ok.Status);
        Assert.Equal(768 * 3600, ok.Auth["lease_duration"]!.GetValue<long>());

        var denied = await Http.LoginAsync("any", AppJwt(ns: "default", sa: "whatever"), mount: "k8s-wide");
        Assert.Equal(403, denied.Status);
    }

    [Fact]
    public async Task Token_review_hook_can_reject_a_deleted_pod()
    {
        Sandbox.EnableKubernetesAuth("k8s-review", settings: new KubernetesAuthSettings { TokenReview = claims => claims.PodName != "gone" });
        Sandbox.WriteAuthRole("k8s-review", new VaultAuthRole { Name = "app", BoundServiceAccountNames = ["app"], BoundServiceAccountNamespaces = ["default"] });

        var jwt = Sandbox.TokenIssuer.Mint(new ServiceAccountTokenRequest { Namespace = "default", ServiceAccountName = "app", PodName = "gone" });
        var reply = await Http.LoginAsync("app", jwt, mount: "k8s-review");
        Assert.Equal(403, reply.Status);
        Assert.Equal(["permission denied"], reply.Errors);
    }

    [Fact]
    public async Task Roles_can_be_written_and_read_over_the_api()
    {
        var write = await Http.PostAsync(
            "auth/kubernetes/role/web",
            new JsonObject
            {
                ["bound_service_account_names"] = new JsonArray("web"),
                ["bound_service_account_namespaces"] = "default,web",
                ["token_policies"] = "app-read",
                ["token_ttl"] = "20m",
            },
            Sandbox.RootToken);
        Assert.Equal(204, write.Status);

        var read = await Http.GetAsync("auth/kubernetes/role/web", Sandbox.RootToken);
        Assert.Equal(200, read.Status);
        Assert.Equal(1200, read.Data["token_ttl"]!.GetValue<long>());

        var login = await Http.LoginAsync("web", AppJwt(ns: "web", sa: "web"));
        Assert.Equal(1200, login.Auth["lease_duration"]!.GetValue<long>());

        var invalid = await Http.PostAsync("auth/kubernetes/role/bad", new JsonObject { ["bound_service_account_names"] = "x" }, Sandbox.RootToken);
        Assert.Equal(400, invalid.Status);
    }
}
