using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;

namespace Csi.Sandboxes.Vault.Tests;

/// <summary>A Vault HTTP reply as a client sees it.</summary>
public sealed record VaultReply(int Status, JsonNode? Body, string Raw, HttpResponseHeaders Headers, HttpContentHeaders? ContentHeaders)
{
    public JsonObject Json => Body as JsonObject ?? throw new InvalidOperationException($"status {Status}, body is not a JSON object: {Raw}");

    public string[] Errors => Json["errors"] is JsonArray a ? a.Select(e => e!.GetValue<string>()).ToArray() : throw new InvalidOperationException("no errors array: " + Raw);

    public JsonObject Data => Json["data"] as JsonObject ?? throw new InvalidOperationException("no data object: " + Raw);

    public JsonObject Auth => Json["auth"] as JsonObject ?? throw new InvalidOperationException("no auth object: " + Raw);
}

/// <summary>
/// A plain HttpClient talking to Vault the way the API docs describe: <c>/v1/</c> paths, <c>X-Vault-Token</c>,
/// <c>X-Vault-Namespace</c>, <c>X-Vault-Request: true</c>, JSON bodies. Nothing here knows the sandbox's internals.
/// </summary>
public sealed class VaultHttp : IDisposable
{
    public VaultHttp(Uri address, HttpMessageHandler? handler = null)
    {
        Client = handler is null ? new HttpClient() : new HttpClient(handler);
        Client.BaseAddress = address;
        Client.Timeout = TimeSpan.FromSeconds(30);
    }

    public HttpClient Client { get; }

    public Task<VaultReply> GetAsync(string path, string? token = null, string? ns = null) =>
        SendAsync(HttpMethod.Get, path, token, ns);

    public Task<VaultReply> PostAsync(string path, JsonObject? body, string? token = null, string? ns = null) =>
        SendAsync(HttpMethod.Post, path, token, ns, body);

    public Task<VaultReply> PutAsync(string path, JsonObject? body, string? token = null, string? ns = null) =>
        SendAsync(HttpMethod.Put, path, token, ns, body);

    public Task<VaultReply> DeleteAsync(string path, string? token = null, string? ns = null) =>
        SendAsync(HttpMethod.Delete, path, token, ns);

    public Task<VaultReply> ListAsync(string path, string? token = null, string? ns = null) =>
        SendAsync(new HttpMethod("LIST"), path, token, ns);

    public async Task<VaultReply> SendAsync(HttpMethod method, string path, string? token = null, string? ns = null, JsonObject? body = null, string? rawBody = null)
    {
        using var request = new HttpRequestMessage(method, "v1/" + path.TrimStart('/'));
        request.Headers.Add("X-Vault-Request", "true");
        if (token is not null)
        {
            request.Headers.Add("X-Vault-Token", token);
        }

        if (ns is not null)
        {
            request.Headers.Add("X-Vault-Namespace", ns);
        }

        if (body is not null || rawBody is not null)
        {
            request.Content = new StringContent(rawBody ?? body!.ToJsonString(), Encoding.UTF8, "application/json");
        }

        using var response = await Client.SendAsync(request);
        var raw = await response.Content.ReadAsStringAsync();
        JsonNode? parsed = null;
        if (raw.Length > 0 && response.Content.Headers.ContentType?.MediaType == "application/json")
        {
            parsed = JsonNode.Parse(raw);
        }

        return new VaultReply((int)response.StatusCode, parsed, raw, response.Headers, response.Content.Headers);
    }

    /// <summary><c>POST /v1/auth/&lt;mount&gt;/login</c> with <c>{"role","jwt"}</c>.</summary>
    public Task<VaultReply> LoginAsync(string role, string jwt, string mount = "kubernetes", string? ns = null) =>
        PostAsync($"auth/{mount}/login", new JsonObject { ["role"] = role, ["jwt"] = jwt }, ns: ns);

    /// <summary>Logs in and returns <c>auth.client_token</c>, failing the test on anything but 200.</summary>
    public async Task<string> LoginTokenAsync(string role, string jwt, string mount = "kubernetes", string? ns = null)
    {
        var reply = await LoginAsync(role, jwt, mount, ns);
        Assert.True(reply.Status == 200, $"login failed: {reply.Status} {reply.Raw}");
        return reply.Auth["client_token"]!.GetValue<string>();
    }

    public void Dispose() => Client.Dispose();
}
