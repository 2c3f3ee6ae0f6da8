using System.Text.Json.Nodes;

namespace Csi.Sandboxes.Vault.Tests;

public sealed class FaultAndLogTests : SandboxTestBase
{
    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        Sandbox.WriteSecret("secret", "app/db", new Dictionary<string, string> { ["password"] = "s3cret" });
    }

    [Fact]
    public async Task Next_n_requests_to_a_path_fail_then_recover()
    {
        var token = await LoginAppAsync();
        Sandbox.FailNextRequests("secret/data/app/", 2, 503);

        var first = await Http.GetAsync("secret/data/app/db", token);
        var second = await Http.GetAsync("secret/data/app/db", token);
        var third = await Http.GetAsync("secret/data/app/db", token);

        Assert.Equal(503, first.Status);
        Assert.Equal(["Vault is sealed"], first.Errors);
        Assert.Equal(503, second.Status);
        Assert.Equal(200, third.Status);

        Assert.Equal(3, Sandbox.CountRequests("GET", "secret/data/app/db"));
        Assert.Equal(2, Sandbox.CountRequests(pathPrefix: "/v1/secret/data/app", statusCode: 503));
        Assert.Equal(2, Sandbox.RequestLog.Count(e => e.Injected));
    }

    [Fact]
    public async Task Failures_can_target_a_method_and_carry_a_message()
    {
        Sandbox.FailNextRequests("auth/kubernetes/login", 1, 500, "internal error", method: "POST");

        var failed = await Http.LoginAsync("app", AppJwt());
        Assert.Equal(500, failed.Status);
        Assert.Equal(["internal error"], failed.Errors);
        Assert.Equal(200, (await Http.LoginAsync("app", AppJwt())).Status);

        Sandbox.FailNextRequests("secret/", 5, 500);
        Sandbox.ClearFaults();
        Assert.Equal(200, (await Http.GetAsync("secret/data/app/db", Sandbox.RootToken)).Status);
    }

    [Fact]
    public async Task Delayed_requests_time_out_the_client()
    {
        Sandbox.DelayNextRequests("secret/data/app/db", 1, TimeSpan.FromSeconds(5));
        using var impatient = new HttpClient { BaseAddress = Sandbox.Address, Timeout = TimeSpan.FromMilliseconds(300) };
        using var request = new HttpRequestMessage(HttpMethod.Get, "v1/secret/data/app/db");
        request.Headers.Add("X-Vault-Token", Sandbox.RootToken);

        await Assert.ThrowsAsync<TaskCanceledException>(() => impatient.SendAsync(request));
        Assert.Equal(200, (await Http.GetAsync("secret/data/app/db", Sandbox.RootToken)).Status);
    }

    [Fact]
    public async Task Dropped_connections_surface_as_transport_errors()
    {
        Assert.Equal(200, (await Http.GetAsync("sys/health")).Status);

        Sandbox.DropConnections = true;
        await Assert.ThrowsAsync<HttpRequestException>(() => Http.GetAsync("sys/health"));
        using (var fresh = new VaultHttp(Sandbox.Address))
        {
            await Assert.ThrowsAsync<HttpRequestException>(() => fresh.GetAsync("sys/health"));
        }

        Sandbox.DropConnections = false;
        Assert.Equal(200, (await Http.GetAsync("sys/health")).Status);
    }

    [Fact]
    public async Task Stopped_listener_refuses_connections_and_resumes_with_state()
    {
        var token = await LoginAppAsync();
        var address = Sandbox.Address;

        await Sandbox.StopAcceptingConnectionsAsync();
        using (var fresh = new VaultHttp(address))
        {
            await Assert.ThrowsAsync<HttpRequestException>(() => fresh.GetAsync("secret/data/app/db", token));
        }

        await Sandbox.ResumeAcceptingConnectionsAsync();
        Assert.Equal(address, Sandbox.Address);
        using var again = new VaultHttp(address);
        Assert.Equal(200, (await again.GetAsync("secret/data/app/db", token)).Status);
    }

    [Fact]
    public async Task Request_log_counts_calls_without_recording_secrets()
    {
        var token = await LoginAppAsync();
        await Http.GetAsync("secret/data/app/db", token);
        await Http.GetAsync("secret/data/app/db", token);
        await Http.PostAsync("secret/data/app/db", new JsonObject { ["data"] = new JsonObject { ["password"] = "new" } }, token);

        Assert.Equal(1, Sandbox.CountRequests("POST", "auth/kubernetes/login"));
        Assert.Equal(2, Sandbox.CountRequests("GET", "secret/data/app/db", 200));
        Assert.Equal(1, Sandbox.CountRequests("POST", "secret/data/app/db", 403));

        var entry = Sandbox.RequestLog[^1];
        Assert.Equal("/v1/secret/data/app/db", entry.Path);
        Assert.True(entry.HadToken);
        Assert.DoesNotContain(token, entry.ToString());
        Assert.DoesNotContain("s3cret", string.Join('\n', Sandbox.RequestLog.Select(e => e.ToString())));

        Sandbox.ClearRequestLog();
        Assert.Empty(Sandbox.RequestLog);
    }

    [Fact]
    public async Task Console_log_lines_carry_no_secret_values()
    {
        using var writer = new StringWriter();
        await using var sandbox = await VaultSandbox.StartAsync(new VaultSandboxOptions { RequestLogWriter = writer });
        sandbox.WriteSecret("secret", "app/db", new Dictionary<string, string> { ["password"] = "hunter2" });
        using var http = new VaultHttp(sandbox.Address);
        await http.GetAsync("secret/data/app/db", sandbox.RootToken);

        var text = writer.ToString();
        Assert.Contains("GET /v1/secret/data/app/db -> 200", text);
        Assert.DoesNotContain("hunter2", text);
        Assert.DoesNotContain(sandbox.RootToken, text);
    }
}
