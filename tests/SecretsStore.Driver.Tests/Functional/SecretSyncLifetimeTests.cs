using System.Text.Json.Nodes;
using Microsoft.Extensions.Time.Testing;
using SecretsStore.Driver.Tests.Kubernetes;

namespace SecretsStore.Driver.Tests.Functional;

/// <summary>
/// How long a synced Secret lives, against the API sandbox and its garbage collector: owned by the pod's
/// controller under --secret-owner=controller (a rollout keeps it), and deleted once its class no longer declares it.
/// </summary>
public sealed class SecretSyncLifetimeTests
{
    private const string PodUid = "11111111-2222-4333-8444-555555555555";
    private const string ReplicaSetUid = "aaaaaaaa-2222-4333-8444-555555555555";

    /// <summary>The sandbox with ReplicaSet web-5d4f, its pod web-5d4f-abcde and class spc declaring Secret db.</summary>
    private static async Task<SandboxCluster> StartReplicaSetClusterAsync()
    {
        var cluster = await SandboxCluster.StartAsync();
        SeedReplicaSet(cluster);
        SeedReplicaSetPod(cluster, "web-5d4f-abcde", PodUid);
        cluster.SeedClassSyncing("spc", "db");
        return cluster;
    }

    private static void SeedReplicaSetPod(SandboxCluster cluster, string podName, string podUid)
        => cluster.Sandbox.Seed(new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "Pod",
            ["metadata"] = new JsonObject
            {
                ["name"] = podName,
                ["namespace"] = "default",
                ["uid"] = podUid,
                ["ownerReferences"] = new JsonArray(new JsonObject
                {
                    ["apiVersion"] = "apps/v1", ["kind"] = "ReplicaSet", ["name"] = "web-5d4f", ["uid"] = ReplicaSetUid, ["controller"] = true, ["blockOwnerDeletion"] = true,
                }),
            },
            ["spec"] = new JsonObject { ["nodeName"] = "node-1", ["containers"] = new JsonArray(new JsonObject { ["name"] = "app", ["image"] = "app" }) },
        });

    private static void SeedReplicaSet(SandboxCluster cluster)
        => cluster.Sandbox.Seed(new JsonObject
        {
            ["apiVersion"] = "apps/v1",
            ["kind"] = "ReplicaSet",
            ["metadata"] = new JsonObject { ["name"] = "web-5d4f", ["namespace"] = "default", ["uid"] = ReplicaSetUid },
            ["spec"] = new JsonObject
            {
                ["selector"] = new JsonObject { ["matchLabels"] = new JsonObject { ["app"] = "web" } },
                ["template"] = new JsonObject
                {
                    ["metadata"] = new JsonObject { ["labels"] = new JsonObject { ["app"] = "web" } },
                    ["spec"] = new JsonObject { ["containers"] = new JsonArray(new JsonObject { ["name"] = "app", ["image"] = "app" }) },
                },
            },
        });

    [Fact]
    public async Task ControllerOwner_TheSecretIsOwnedByTheReplicaSet_OutlivesThePod_AndGoesWithTheReplicaSet()
    {
        await using var cluster = await StartReplicaSetClusterAsync();
        await using var h = await DriverHarness.StartWithKubernetesAsync(cluster.KubeconfigPath, "--secret-owner=controller");
        h.ServeFiles(("password", "pw-1"));
        var target = h.NewTarget();

        await h.PublishAsync(DriverHarness.PublishRequest(target, podName: "web-5d4f-abcde", podUid: PodUid));
        Assert.Equal(["ReplicaSet/web-5d4f"], SandboxCluster.OwnerNames(cluster.Secret("db")!));

        // The rollout replaces the pod: the Secret stays through it.
        await h.UnpublishAsync(target);
        cluster.Sandbox.Delete("v1", "Pod", "web-5d4f-abcde", "default");
        await cluster.Sandbox.WaitForGarbageCollectionAsync();
        Assert.Equal(["ReplicaSet/web-5d4f"], SandboxCluster.OwnerNames(cluster.Secret("db")!));

        cluster.Sandbox.Delete("apps/v1", "ReplicaSet", "web-5d4f", "default");
        await cluster.Sandbox.WaitForGarbageCollectionAsync();
        Assert.Null(cluster.Secret("db"));
    }

    [Fact]
    public async Task DefaultOwner_IsThePod_EvenWhenItHasAController()
    {
        await using var cluster = await StartReplicaSetClusterAsync();
        await using var h = await DriverHarness.StartWithKubernetesAsync(cluster.KubeconfigPath);
        h.ServeFiles(("password", "pw-1"));

        await h.PublishAsync(DriverHarness.PublishRequest(h.NewTarget(), podName: "web-5d4f-abcde", podUid: PodUid));

        Assert.Equal(["Pod/web-5d4f-abcde"], SandboxCluster.OwnerNames(cluster.Secret("db")!));
    }

    [Fact]
    public async Task ASecretTheClassNoLongerDeclares_IsDeletedOnTheNextRotation_AndAForeignOneIsKept()
    {
        await using var cluster = await SandboxCluster.StartAsync();
        cluster.SeedPod("web", PodUid);
        cluster.SeedClassSyncing("spc", "db", "shared");
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var h = await DriverHarness.StartWithClockAsync(time, cluster.KubeconfigPath, "--enable-secret-rotation", "--rotation-poll-interval=2m");
        h.ServeFiles(("password", "pw-1"));
        var target = h.NewTarget();
        await h.PublishAsync(DriverHarness.PublishRequest(target, podUid: PodUid));
        Assert.NotNull(cluster.Secret("db"));
        // Someone else also owns "shared": it is not ours alone to delete.
        var shared = cluster.Secret("shared")!;
        shared["metadata"]!["ownerReferences"]!.AsArray().Add(new JsonObject { ["apiVersion"] = "example.com/v1", ["kind"] = "Keeper", ["name"] = "k", ["uid"] = "bbbbbbbb-2222-4333-8444-555555555555" });
        cluster.Sandbox.Seed(shared);

        cluster.SeedClassSyncing("spc", "db2");
        time.Advance(TimeSpan.FromSeconds(70)); // past the class cache's staleness bound, and due
        var pass = await h.Reconciler.RunOnceAsync();

        Assert.Equal(1, pass.Fetched);
        Assert.Null(cluster.Secret("db"));
        Assert.NotNull(cluster.Secret("db2"));
        Assert.NotNull(cluster.Secret("shared"));
        Assert.Contains(h.Logs.Lines, l => l.Contains("UndeclaredSecretDeleted", StringComparison.Ordinal));
    }
}
