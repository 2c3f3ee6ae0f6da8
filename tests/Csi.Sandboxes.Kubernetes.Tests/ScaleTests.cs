using System.Diagnostics;
using System.Text.Json.Nodes;
using k8s;
using Xunit.Abstractions;

namespace Csi.Sandboxes.Kubernetes.Tests;

public sealed class ScaleTests(ITestOutputHelper output) : SandboxTestBase
{
    [Fact]
    public async Task FiveThousandPods_Seed_AndANodeScopedListReturnsOnlyThatNodesPods()
    {
        var clock = Stopwatch.StartNew();
        var seeded = Sandbox.SeedMany(Enumerable.Range(0, 5000).Select(i =>
            Pod($"pod-{i:D5}", $"node-{i % 50:D2}", new Dictionary<string, string> { ["app"] = $"app-{i % 7}" }, ns: $"ns-{i % 10}")));
        var seedTime = clock.Elapsed;

        output.WriteLine($"seeded 5000 pods in {seedTime.TotalMilliseconds:F0} ms");
        Assert.Equal(5000, seeded);

        clock.Restart();
        var pods = await Client.CoreV1.ListPodForAllNamespacesAsync(fieldSelector: "spec.nodeName=node-07");
        var listTime = clock.Elapsed;

        output.WriteLine($"node-scoped list over HTTP in {listTime.TotalMilliseconds:F0} ms");
        Assert.Equal(100, pods.Items.Count);
        Assert.All(pods.Items, p => Assert.Equal("node-07", p.Spec.NodeName));
        Assert.Equal(5000, Sandbox.Count("v1", "Pod"));
    }

    [Fact]
    public async Task AThousandCustomObjects_SeedQuickly_AndListByLabel()
    {
        Sandbox.RegisterCustomResourceDefinition(Manifests.SecretProviderClass);
        var clock = Stopwatch.StartNew();
        Sandbox.SeedMany(Enumerable.Range(0, 1000).Select(i => new JsonObject
        {
            ["apiVersion"] = "secrets-store.csi.x-k8s.io/v1",
            ["kind"] = "SecretProviderClass",
            ["metadata"] = new JsonObject
            {
                ["name"] = $"spc-{i:D4}",
                ["namespace"] = "default",
                ["labels"] = new JsonObject { ["shard"] = (i % 4).ToString() },
            },
            ["spec"] = new JsonObject { ["provider"] = "vault", ["parameters"] = new JsonObject { ["roleName"] = "r" } },
        }));
        output.WriteLine($"seeded 1000 custom objects in {clock.Elapsed.TotalMilliseconds:F0} ms");

        var shard = AsJson(await Client.CustomObjects.ListNamespacedCustomObjectAsync("secrets-store.csi.x-k8s.io", "v1", "default", "secretproviderclasses", labelSelector: "shard=2"));

        Assert.Equal(250, shard["items"]!.AsArray().Count);
    }

    [Fact]
    public async Task ALargeList_PagesThroughEverything()
    {
        Sandbox.SeedMany(Enumerable.Range(0, 1200).Select(i => Pod($"pod-{i:D4}")));
        var names = new List<string>();
        string? token = null;
        var pages = 0;
        do
        {
            var page = await Client.CoreV1.ListNamespacedPodAsync("default", limit: 500, continueParameter: token);
            names.AddRange(page.Items.Select(p => p.Metadata.Name));
            token = page.Metadata.ContinueProperty;
            pages++;
        }
        while (token is not null);

        Assert.Equal(3, pages);
        Assert.Equal(1200, names.Distinct().Count());
    }
}
