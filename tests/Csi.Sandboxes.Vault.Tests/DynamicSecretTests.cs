using System.Security.Cryptography.X509Certificates;
using System.Text.Json.Nodes;
using Csi.Sandboxes.Common;

namespace Csi.Sandboxes.Vault.Tests;

public sealed class DynamicSecretTests : SandboxTestBase
{
    [Fact]
    public async Task Database_creds_differ_on_every_read()
    {
        Sandbox.EnableDatabase();
        Sandbox.WriteDatabaseRole("database", new VaultDatabaseRole { Name = "readonly", DefaultTtl = TimeSpan.FromMinutes(15) });
        Sandbox.WritePolicy("db", [new VaultPolicyRule("database/creds/readonly", "read")]);
        var token = Sandbox.CreateToken(["db"]);

        var first = await Http.GetAsync("database/creds/readonly", token);
        var second = await Http.GetAsync("database/creds/readonly", token);

        Assert.Equal(200, first.Status);
        Assert.Equal(200, second.Status);
        Assert.NotEqual(first.Data["username"]!.GetValue<string>(), second.Data["username"]!.GetValue<string>());
        Assert.NotEqual(first.Data["password"]!.GetValue<string>(), second.Data["password"]!.GetValue<string>());
        Assert.StartsWith("database/creds/readonly/", first.Json["lease_id"]!.GetValue<string>());
        Assert.NotEqual(first.Json["lease_id"]!.GetValue<string>(), second.Json["lease_id"]!.GetValue<string>());
        Assert.Equal(900, first.Json["lease_duration"]!.GetValue<long>());
        Assert.True(first.Json["renewable"]!.GetValue<bool>());
        Assert.Equal("database", first.Json["mount_type"]!.GetValue<string>());
        Assert.StartsWith("v-token-readonly-", first.Data["username"]!.GetValue<string>());
        Assert.Equal(2, Sandbox.GetIssuedDatabaseUsernames().Count);

        var unknown = await Http.GetAsync("database/creds/nope", Sandbox.RootToken);
        Assert.Equal(400, unknown.Status);
        Assert.Equal(["unknown role: nope"], unknown.Errors);

        Assert.Equal(403, (await Http.GetAsync("database/creds/other", token)).Status);
    }

    [Fact]
    public async Task Generic_paths_answer_with_configured_data_and_leases()
    {
        Sandbox.EnableGenericEngine("aws", "aws");
        Sandbox.SetGenericSecret("aws", "creds/deploy", new VaultGenericSecret
        {
            Data = new JsonObject { ["access_key"] = "AKIA-SANDBOX", ["secret_key"] = "shh" },
            LeaseDuration = TimeSpan.FromMinutes(5),
            Renewable = true,
        });
        var calls = 0;
        Sandbox.SetGenericSecret("aws", "sts/deploy", request =>
        {
            calls++;
            return new VaultGenericSecret { Data = new JsonObject { ["method"] = request.Method, ["ttl"] = request.Body?["ttl"]?.GetValue<string>() } };
        });

        var creds = await Http.GetAsync("aws/creds/deploy", Sandbox.RootToken);
        Assert.Equal("AKIA-SANDBOX", creds.Data["access_key"]!.GetValue<string>());
        Assert.StartsWith("aws/creds/deploy/", creds.Json["lease_id"]!.GetValue<string>());
        Assert.Equal(300, creds.Json["lease_duration"]!.GetValue<long>());
        Assert.Equal("aws", creds.Json["mount_type"]!.GetValue<string>());

        var sts = await Http.PostAsync("aws/sts/deploy", new JsonObject { ["ttl"] = "1h" }, Sandbox.RootToken);
        Assert.Equal("POST", sts.Data["method"]!.GetValue<string>());
        Assert.Equal("1h", sts.Data["ttl"]!.GetValue<string>());
        Assert.Equal(string.Empty, sts.Json["lease_id"]!.GetValue<string>());
        Assert.Equal(1, calls);

        Assert.Equal(404, (await Http.GetAsync("aws/creds/unknown", Sandbox.RootToken)).Status);
    }

    [Fact]
    public async Task Pki_issue_returns_a_certificate_signed_by_the_mount_ca()
    {
        Sandbox.EnablePki();
        Sandbox.WritePkiRole("pki", new VaultPkiRole { Name = "web", AllowedDomains = ["example.com"], AllowSubdomains = true, Ttl = TimeSpan.FromHours(1) });

        var reply = await Http.PostAsync("pki/issue/web", new JsonObject { ["common_name"] = "api.example.com", ["alt_names"] = "www.example.com" }, Sandbox.RootToken);
        Assert.Equal(200, reply.Status);
        Assert.Equal("rsa", reply.Data["private_key_type"]!.GetValue<string>());
        Assert.Contains("BEGIN RSA PRIVATE KEY", reply.Data["private_key"]!.GetValue<string>());

        using var leaf = X509Certificate2.CreateFromPem(reply.Data["certificate"]!.GetValue<string>());
        using var ca = Sandbox.GetPkiAuthority();
        Assert.Equal("CN=api.example.com", leaf.Subject);
        Assert.True(SandboxCertificates.ChainsTo(leaf, [ca], Clock.GetUtcNow()));
        Assert.Equal(ca.ExportCertificatePem(), reply.Data["issuing_ca"]!.GetValue<string>());

        var caPem = await Http.GetAsync("pki/ca/pem", Sandbox.RootToken);
        Assert.Contains("BEGIN CERTIFICATE", caPem.Raw);

        var denied = await Http.PostAsync("pki/issue/web", new JsonObject { ["common_name"] = "evil.org" }, Sandbox.RootToken);
        Assert.Equal(400, denied.Status);
        Assert.Equal(["common name evil.org not allowed by this role"], denied.Errors);
    }
}
