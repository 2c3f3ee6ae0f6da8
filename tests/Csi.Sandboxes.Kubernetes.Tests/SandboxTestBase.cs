using System.Text.Json.Nodes;
using k8s;
using k8s.Autorest;
using k8s.Models;

namespace Csi.Sandboxes.Kubernetes.Tests;

/// <summary>One sandbox and one real <see cref="k8s.Kubernetes"/> client per test.</summary>
public abstract class SandboxTestBase : IAsyncLifetime, IDisposable
{
    private KubernetesSandbox? _sandbox;
    private k8s.Kubernetes? _client;

    protected KubernetesSandbox Sandbox => _sandbox ?? throw new InvalidOperationException("not started");

    protected k8s.Kubernetes Client => _client ?? throw new InvalidOperationException("not started");

    protected virtual KubernetesSandboxOptions CreateOptions() => new();

    public virtual async Task InitializeAsync()
    {
        _sandbox = await KubernetesSandbox.StartAsync(CreateOptions());
        _client = new k8s.Kubernetes(_sandbox.ClientConfiguration());
    }

    public virtual async Task DisposeAsync()
    {
        _client?.Dispose();
        _client = null;
        if (_sandbox is not null)
        {
            await _sandbox.DisposeAsync();
        }
    }

    public void Dispose()
    {
        _client?.Dispose();
        GC.SuppressFinalize(this);
    }

    protected static V1Pod Pod(string name, string? nodeName = null, IDictionary<string, string>? labels = null, string ns = "default") => new()
    {
        Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = ns, Labels = labels },
        Spec = new V1PodSpec
        {
            NodeName = nodeName,
            Containers = [new V1Container { Name = "app", Image = "registry.example/app:1.0" }],
        },
    };

    protected static V1Secret Secret(string name, IDictionary<string, string>? labels = null, string ns = "default") => new()
    {
        Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = ns, Labels = labels },
        StringData = new Dictionary<string, string> { ["password"] = "s3cret" },
    };

    /// <summary>Runs <paramref name="action"/>, expecting the API to answer with an error; returns the exception and its Status body.</summary>
    protected static async Task<(HttpOperationException Error, JsonObject Status)> ExpectApiErrorAsync(Func<Task> action)
    {
        var error = await Assert.ThrowsAsync<HttpOperationException>(action);
        var status = JsonNode.Parse(error.Response.Content)!.AsObject();
        Assert.Equal("Status", status["kind"]?.GetValue<string>());
        Assert.Equal("Failure", status["status"]?.GetValue<string>());
        Assert.Equal((int)error.Response.StatusCode, status["code"]?.GetValue<int>());
        return (error, status);
    }

    /// <summary>Sends a raw JSON request (bodies exactly as written, no client-side model in between) and returns the status and the answer.</summary>
    protected async Task<(int Status, JsonObject Body)> SendAsync(HttpMethod method, string path, string? json = null, string contentType = "application/json")
    {
        using var http = new HttpClient { BaseAddress = Sandbox.Address };
        http.DefaultRequestHeaders.Authorization = new("Bearer", Sandbox.Token);
        using var request = new HttpRequestMessage(method, path);
        if (json is not null)
        {
            request.Content = new StringContent(json, System.Text.Encoding.UTF8);
            request.Content.Headers.ContentType = new(contentType);
        }

        using var response = await http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return ((int)response.StatusCode, JsonNode.Parse(text)!.AsObject());
    }

    /// <summary>A custom-object response (a JsonElement from the client) as a JsonObject.</summary>
    protected static JsonObject AsJson(object response) => JsonNode.Parse(KubernetesJson.Serialize(response))!.AsObject();
}
