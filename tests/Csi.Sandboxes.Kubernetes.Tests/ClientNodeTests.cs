using k8s;
using k8s.Models;

namespace Csi.Sandboxes.Kubernetes.Tests;

/// <summary>@kubernetes/client-node (its Watch and informer) against the sandbox.</summary>
public sealed class ClientNodeTests : ClientTestBase
{
    protected override KubernetesSandboxOptions CreateOptions() => new() { UseTls = true, WatchCacheSize = 5 };

    private Task<V1ConfigMap> CreateConfigMapAsync(string name, string ns = "default") =>
        Client.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap { Metadata = new V1ObjectMeta { Name = name } }, ns);

    [Fact]
    public async Task WatchOnAQuietResource_ReturnsAtOnce_WithoutEvents()
    {
        await using var script = new NodeScript(KubeTools.Script("watch-quiet.mjs"), KubeconfigPath,
            "/api/v1/namespaces/default/configmaps", Sandbox.ResourceVersion.ToString(System.Globalization.CultureInfo.InvariantCulture));

        var watching = await script.WaitForAsync("watching");

        Assert.Empty(watching["events"]!.AsArray());
        Assert.Equal(0, await script.WaitForExitAsync());
    }

    [Fact]
    public async Task InformerOnAQuietNamespace_StartsAndStopsPromptly_AndLeavesNothingOpen()
    {
        await Client.CoreV1.CreateNamespaceAsync(new V1Namespace { Metadata = new V1ObjectMeta { Name = "quiet" } });
        await using var script = new NodeScript(KubeTools.Script("informer.mjs"), KubeconfigPath, "quiet");

        await script.WaitForAsync("started");
        await Sandbox.WaitForWatchesAsync(1, "configmaps");
        await script.SendAsync("stop");
        await script.WaitForAsync("stopped");

        Assert.Equal(0, await script.WaitForExitAsync());
        Assert.Equal(1, Sandbox.CountRequests(verb: "list", resource: "configmaps"));
    }

    [Fact]
    public async Task Informer_ResumesAfterAWatchEnds_AndRelistsAfter410()
    {
        await CreateConfigMapAsync("a");
        await using var script = new NodeScript(KubeTools.Script("informer.mjs"), KubeconfigPath, "default");
        await script.WaitForAsync("add", l => l["name"]!.GetValue<string>() == "a");
        await script.WaitForAsync("started");
        await Sandbox.WaitForWatchesAsync(1, "configmaps");

        // A watch that ends cleanly is resumed from the last resourceVersion: no new list.
        Sandbox.EndWatches();
        await CreateConfigMapAsync("b");
        await script.WaitForAsync("add", l => l["name"]!.GetValue<string>() == "b");
        var listsAfterResume = Sandbox.CountRequests(verb: "list", resource: "configmaps");

        // A watch that gets 410 Expired relists.
        await Sandbox.WaitForWatchesAsync(1, "configmaps");
        Sandbox.ExpireWatches();
        await script.WaitForAsync("connect");
        await CreateConfigMapAsync("c");
        await script.WaitForAsync("add", l => l["name"]!.GetValue<string>() == "c");

        await Client.CoreV1.DeleteNamespacedConfigMapAsync("a", "default");
        await script.WaitForAsync("delete", l => l["name"]!.GetValue<string>() == "a");

        await script.SendAsync("list");
        var cache = await script.WaitForAsync("cache");
        await script.SendAsync("stop");

        Assert.Equal(1, listsAfterResume);
        Assert.Equal(2, Sandbox.CountRequests(verb: "list", resource: "configmaps"));
        Assert.Equal(["b", "c"], cache["names"]!.AsArray().Select(n => n!.GetValue<string>()).ToArray());
        Assert.Equal(0, await script.WaitForExitAsync());
    }
}
