using System.Text.Json.Nodes;
using Csi.Sandboxes.Common;

namespace Csi.Sandboxes.Vault.Tests;

public sealed class JwtAuthTests : SandboxTestBase
{
    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        Sandbox.EnableJwtAuth(settings: new JwtAuthSettings { BoundIssuer = ServiceAccountTokenIssuer.DefaultIssuer });
        Sandbox.WriteAuthRole("jwt", new VaultAuthRole
        {
            Name = "app",
            Audience = "vault",
            BoundServiceAccountNames = ["app"],
            BoundServiceAccountNamespaces = ["default"],
            TokenTtl = TimeSpan.FromMinutes(30),
            TokenPolicies = ["app-read"],
            ClaimMappings = new Dictionary<string, string> { ["/kubernetes.io/namespace"] = "namespace" },
        });
    }

    [Fact]
    public async Task Login_with_a_service_account_jwt_succeeds()
    {
        var reply = await Http.LoginAsync("app", AppJwt(), mount: "jwt");

        Assert.Equal(200, reply.Status);
        Assert.Equal(1800, reply.Auth["lease_duration"]!.GetValue<long>());
        Assert.Equal("jwt", reply.Json["mount_type"]!.GetValue<string>());
        var metadata = reply.Auth["metadata"]!.AsObject();
        Assert.Equal("app", metadata["role"]!.GetValue<string>());
        Assert.Equal("default", metadata["namespace"]!.GetValue<string>());
    }

    [Fact]
    public async Task Wrong_audience_is_400_error_validating_token()
    {
        var reply = await Http.LoginAsync("app", AppJwt(audience: "other"), mount: "jwt");
        Assert.Equal(400, reply.Status);
        Assert.Equal(["error validating token: invalid audience (aud) claim: audience claim does not match any expected audience"], reply.Errors);
    }

    [Fact]
    public async Task Bound_claims_are_enforced()
    {
        var reply = await Http.LoginAsync("app", AppJwt(ns: "other"), mount: "jwt");
        Assert.Equal(400, reply.Status);
        Assert.Equal(["error validating claims: claim \"/kubernetes.io/namespace\" does not match any associated bound claim values"], reply.Errors);
    }

    [Fact]
    public async Task Bad_signature_is_400()
    {
        using var rogue = new ServiceAccountTokenIssuer(timeProvider: Clock);
        var reply = await Http.LoginAsync("app", rogue.Mint("default", "app", "vault"), mount: "jwt");
        Assert.Equal(400, reply.Status);
        Assert.Equal(["error validating token: error verifying token signature: no known key successfully validated the token signature"], reply.Errors);
    }

    [Fact]
    public async Task Audience_in_token_without_bound_audiences_is_rejected()
    {
        Sandbox.WriteAuthRole("jwt", new VaultAuthRole { Name = "noaud", BoundSubject = "system:serviceaccount:default:app" });
        var reply = await Http.LoginAsync("noaud", AppJwt(), mount: "jwt");
        Assert.Equal(400, reply.Status);
        Assert.Equal(["audience claim found in JWT but no audiences bound to the role"], reply.Errors);
    }

    [Fact]
    public async Task Unknown_role_and_missing_token_are_400()
    {
        var unknown = await Http.LoginAsync("nope", AppJwt(), mount: "jwt");
        Assert.Equal(["role \"nope\" could not be found"], unknown.Errors);

        var missing = await Http.PostAsync("auth/jwt/login", new JsonObject { ["role"] = "app" });
        Assert.Equal(400, missing.Status);
        Assert.Equal(["missing token"], missing.Errors);
    }

    [Fact]
    public async Task Wrong_issuer_is_400()
    {
        using var other = new ServiceAccountTokenIssuer("https://other.example", Clock);
        Sandbox.EnableJwtAuth("jwt2", settings: new JwtAuthSettings { BoundIssuer = ServiceAccountTokenIssuer.DefaultIssuer, TrustedIssuers = { other } });
        Sandbox.WriteAuthRole("jwt2", new VaultAuthRole { Name = "app", Audience = "vault" });

        var reply = await Http.LoginAsync("app", other.Mint("default", "app", "vault"), mount: "jwt2");
        Assert.Equal(400, reply.Status);
        Assert.Equal(["error validating token: invalid issuer (iss) claim"], reply.Errors);
    }
}
