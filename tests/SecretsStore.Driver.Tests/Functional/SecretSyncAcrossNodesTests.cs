using System.Text.Json.Nodes;
using Microsoft.Extensions.Time.Testing;
using SecretsStore.Driver.Kubernetes;
using SecretsStore.Driver.Tests.Kubernetes;

namespace SecretsStore.Driver.Tests.Functional;

/// <summary>
/// A Secret a class stops declaring, with pods of the class on two nodes: two drivers (node-1, node-2) on their own
/// clocks against one API sandbox. A node deletes the Secret only when no mounted volume on any node still declares
/// it, read from the SecretProviderClassPodStatus objects; the last node to see the new class version deletes it.
/// </summary>
public sealed class SecretSyncAcrossNodesTests
{
    private const string PodA = "11111111-2222-4333-8444-00000000000a";
    private const string PodB = "11111111-2222-4333-8444-00000000000b";
    private static readonly TimeSpan Due = TimeSpan.FromSeconds(70); // past the class cache's 1m and due at 2m

    /// <summary>The sandbox with pods web-a and web-b and class spc declaring Secret db.</summary>
    private static async Task<SandboxCluster> StartClusterAsync()
    {
        var cluster = await SandboxCluster.StartAsync();
        cluster.SeedPod("web-a", PodA);
        cluster.SeedPod("web-b", PodB);
        cluster.SeedClassSyncing("spc", "db");
        return cluster;
    }

    /// <summary>The driver of <paramref name="node"/> on <paramref name="time"/>, serving password=pw-1, with a volume of <paramref name="podName"/> published.</summary>
    private static async Task<DriverHarness> StartNodeWithPodAsync(SandboxCluster cluster, FakeTimeProvider time, string node, string podName, string podUid)
    {
        var h = await DriverHarness.StartWithClockAsync(time, cluster.KubeconfigPath, "--enable-secret-rotation", "--rotation-poll-interval=2m", "--rotation-reconciler=false", "--nodeid", node);
        h.ServeFiles(("password", "pw-1"));
        await h.PublishAsync(DriverHarness.PublishRequest(h.NewTarget(), podName: podName, podUid: podUid));
        return h;
    }

    [Fact]
    public async Task UndeclaredSecret_IsKeptWhileAPodOnAnotherNodeStillDeclaresIt_AndDeletedByTheLastNodeToDropIt()
    {
        await using var cluster = await StartClusterAsync();
        var clock1 = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var clock2 = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var node1 = await StartNodeWithPodAsync(cluster, clock1, "node-1", "web-a", PodA);
        await using var node2 = await StartNodeWithPodAsync(cluster, clock2, "node-2", "web-b", PodB);
        Assert.Equal(["Pod/web-a", "Pod/web-b"], SandboxCluster.OwnerNames(cluster.Secret("db")!));
        Assert.Equal("db", Declared(cluster, "web-b-default-spc"));

        // The class now declares db2. Node 1's class cache is past its bound, node 2's is not yet.
        cluster.SeedClassSyncing("spc", "db2");
        clock1.Advance(Due);
        Assert.Equal(1, (await node1.Reconciler.RunOnceAsync()).Fetched);

        Assert.NotNull(cluster.Secret("db2"));
        Assert.Equal("db2", Declared(cluster, "web-a-default-spc"));
        Assert.NotNull(cluster.Secret("db")); // web-b on node-2 still mounts the version that declares it
        Assert.Contains(node1.Logs.Lines, l => l.Contains("UndeclaredSecretKept", StringComparison.Ordinal) && l.Contains("web-b-default-spc", StringComparison.Ordinal));
        Assert.Equal(0, cluster.Sandbox.CountRequests(verb: "delete", resource: "secrets"));

        clock2.Advance(Due);
        Assert.Equal(1, (await node2.Reconciler.RunOnceAsync()).Fetched);

        Assert.Null(cluster.Secret("db"));
        Assert.Equal(["Pod/web-a", "Pod/web-b"], SandboxCluster.OwnerNames(cluster.Secret("db2")!));
        Assert.Contains(node2.Logs.Lines, l => l.Contains("UndeclaredSecretDeleted", StringComparison.Ordinal));
    }

    [Fact]
    public async Task UndeclaredSecret_IsKept_WhileAStatusOfTheSameClassOnAnotherNodeDoesNotSayWhatItDeclares()
    {
        await using var cluster = await StartClusterAsync();
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var node1 = await StartNodeWithPodAsync(cluster, clock, "node-1", "web-a", PodA);
        // web-b's volume on node-2, recorded as upstream records it: no list of Secrets.
        cluster.Sandbox.Seed(new JsonObject
        {
            ["apiVersion"] = SandboxCluster.Group + "/v1",
            ["kind"] = "SecretProviderClassPodStatus",
            ["metadata"] = new JsonObject
            {
                ["name"] = "web-b-default-spc",
                ["namespace"] = "default",
                ["labels"] = new JsonObject { [PodStatusMapping.NodeLabel] = "node-2" },
            },
            ["status"] = new JsonObject
            {
                ["podName"] = "web-b",
                ["secretProviderClassName"] = "spc",
                ["mounted"] = true,
                ["targetPath"] = "/var/lib/kubelet/pods/" + PodB + "/volumes/kubernetes.io~csi/secrets/mount",
            },
        });

        cluster.SeedClassSyncing("spc", "db2");
        clock.Advance(Due);
        Assert.Equal(1, (await node1.Reconciler.RunOnceAsync()).Fetched);

        Assert.NotNull(cluster.Secret("db"));
        Assert.NotNull(cluster.Secret("db2"));

        // Once that volume is gone, the next decision deletes it.
        cluster.Sandbox.Delete(SandboxCluster.Group + "/v1", "SecretProviderClassPodStatus", "web-b-default-spc", "default");
        cluster.SeedClassSyncing("spc", "db3");
        clock.Advance(Due);
        Assert.Equal(1, (await node1.Reconciler.RunOnceAsync()).Fetched);
        Assert.Null(cluster.Secret("db2"));
    }

    private static string? Declared(SandboxCluster cluster, string podStatus)
        => (string?)cluster.PodStatus(podStatus)?["metadata"]?["annotations"]?[PodStatusMapping.SecretObjectsAnnotation];
}
