using System.Text.Json.Nodes;

namespace Csi.Sandboxes.Vault.Tests;

public sealed class HealthAndRoutingTests : SandboxTestBase
{
    [Fact]
    public async Task Health_reports_an_initialized_unsealed_active_node()
    {
        var reply = await Http.GetAsync("sys/health");

        Assert.Equal(200, reply.Status);
        Assert.True(reply.Json["initialized"]!.GetValue<bool>());
        Assert.False(reply.Json["sealed"]!.GetValue<bool>());
        Assert.False(reply.Json["standby"]!.GetValue<bool>());
        Assert.False(string.IsNullOrEmpty(reply.Json["version"]!.GetValue<string>()));
        Assert.StartsWith("vault-cluster-", reply.Json["cluster_name"]!.GetValue<string>());
        Assert.Equal(Clock.GetUtcNow().ToUnixTimeSeconds(), reply.Json["server_time_utc"]!.GetValue<long>());
        Assert.Equal("application/json", reply.ContentHeaders?.ContentType?.MediaType);
    }

    [Fact]
    public async Task Health_honours_activecode_and_head()
    {
        var custom = await Http.GetAsync("sys/health?activecode=204");
        Assert.Equal(204, custom.Status);

        using var head = new HttpRequestMessage(HttpMethod.Head, "v1/sys/health");
        using var response = await Http.Client.SendAsync(head);
        Assert.Equal(200, (int)response.StatusCode);
    }

    [Fact]
    public async Task Sealed_vault_answers_503_everywhere()
    {
        Sandbox.WriteSecret("secret", "app/db", new Dictionary<string, string> { ["password"] = "p" });
        Sandbox.Seal();

        var health = await Http.GetAsync("sys/health");
        Assert.Equal(503, health.Status);
        Assert.True(health.Json["sealed"]!.GetValue<bool>());

        var read = await Http.GetAsync("secret/data/app/db", Sandbox.RootToken);
        Assert.Equal(503, read.Status);
        Assert.Equal(["Vault is sealed"], read.Errors);

        var login = await Http.LoginAsync("app", AppJwt());
        Assert.Equal(503, login.Status);

        Sandbox.Unseal();
        Assert.Equal(200, (await Http.GetAsync("secret/data/app/db", Sandbox.RootToken)).Status);
    }

    [Fact]
    public async Task Unknown_mount_is_404_no_handler_for_root_and_403_for_others()
    {
        var root = await Http.GetAsync("nope/foo", Sandbox.RootToken);
        Assert.Equal(404, root.Status);
        Assert.Equal(["no handler for route \"nope/foo\". route entry not found."], root.Errors);

        var app = await Http.GetAsync("nope/foo", await LoginAppAsync());
        Assert.Equal(403, app.Status);
    }

    [Fact]
    public async Task Paths_outside_v1_are_404()
    {
        using var response = await Http.Client.GetAsync("v2/secret/data/x");
        Assert.Equal(404, (int)response.StatusCode);
    }

    [Fact]
    public async Task Invalid_json_body_is_400()
    {
        var reply = await Http.SendAsync(HttpMethod.Post, "secret/data/app/x", Sandbox.RootToken, rawBody: "{not json");
        Assert.Equal(400, reply.Status);
        Assert.StartsWith("failed to parse JSON input", reply.Errors.Single());
    }

    [Fact]
    public async Task Writes_to_paths_ending_in_slash_are_rejected()
    {
        var reply = await Http.PostAsync("secret/data/app/", new JsonObject { ["data"] = new JsonObject() }, Sandbox.RootToken);
        Assert.Equal(400, reply.Status);
        Assert.Equal(["cannot write to a path ending in '/'"], reply.Errors);
    }

    [Fact]
    public async Task Bearer_authorization_header_is_accepted_like_x_vault_token()
    {
        Sandbox.WriteSecret("secret", "app/db", new Dictionary<string, string> { ["password"] = "p" });
        using var request = new HttpRequestMessage(HttpMethod.Get, "v1/secret/data/app/db");
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", Sandbox.RootToken);
        using var response = await Http.Client.SendAsync(request);
        Assert.Equal(200, (int)response.StatusCode);
        Assert.Equal("no-store", response.Headers.CacheControl?.ToString());
    }
}
