using System.Text.Json.Nodes;
using Csi.Common.RateLimiting;
using Csi.Sandboxes.Kubernetes;

namespace Csi.Kubernetes.Tests;

/// <summary>The Kubernetes API sandbox over TLS, a kubeconfig for it, and clients of the suite's own client.</summary>
internal sealed class SandboxApi : IAsyncDisposable
{
    public static readonly ApiResource ConfigMaps = new(string.Empty, "v1", "configmaps");

    private readonly string _directory;
    private readonly List<KubernetesApiClient> _clients = [];

    private SandboxApi(KubernetesSandbox sandbox)
    {
        Sandbox = sandbox;
        _directory = Directory.CreateTempSubdirectory("k8s-client-").FullName;
        KubeconfigPath = sandbox.WriteKubeconfig(_directory);
    }

    public KubernetesSandbox Sandbox { get; }

    public string KubeconfigPath { get; }

    public static async Task<SandboxApi> StartAsync(KubernetesSandboxOptions? options = null)
        => new(await KubernetesSandbox.StartAsync(options ?? new KubernetesSandboxOptions { UseTls = true }));

    public KubernetesApiClient NewClient()
    {
        var client = new KubernetesApiClient(KubernetesConnection.FromKubeconfig(KubeconfigPath), new TokenBucket(1000, 1000, TimeProvider.System), "csi-kubernetes-tests/0");
        _clients.Add(client);
        return client;
    }

    public JsonObject SeedConfigMap(string name, string value = "v", string @namespace = "default")
        => Sandbox.Seed(new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "ConfigMap",
            ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = @namespace },
            ["data"] = new JsonObject { ["k"] = value },
        });

    public async ValueTask DisposeAsync()
    {
        foreach (var client in _clients)
        {
            client.Dispose();
        }
        await Sandbox.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }
}
