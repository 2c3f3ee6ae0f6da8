using System.Text.Json.Nodes;

namespace Csi.Provisioner.Tests.EndToEnd;

/// <summary>--node-deployment and --enable-capacity with two nodes, two local-volume drivers and two provisioners.</summary>
public class NodeDeploymentTests
{
    private const string SelectedNode = "volume.kubernetes.io/selected-node";

    private static string Text(JsonNode? node) => node?.GetValue<string>() ?? string.Empty;

    private static void SeedClass(TwoNodeCluster cluster, string name, string bindingMode)
        => cluster.Sandbox.Seed(new JsonObject
        {
            ["apiVersion"] = "storage.k8s.io/v1",
            ["kind"] = "StorageClass",
            ["metadata"] = new JsonObject { ["name"] = name },
            ["provisioner"] = ProvisionerCluster.DriverName,
            ["reclaimPolicy"] = "Delete",
            ["volumeBindingMode"] = bindingMode,
            ["parameters"] = new JsonObject { ["pool"] = "main" },
        });

    private static void SeedClaim(TwoNodeCluster cluster, string name, string className, string? selectedNode = null)
    {
        var metadata = new JsonObject { ["name"] = name, ["namespace"] = "default" };
        if (selectedNode is not null)
        {
            metadata["annotations"] = new JsonObject { [SelectedNode] = selectedNode };
        }
        cluster.Sandbox.Seed(new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "PersistentVolumeClaim",
            ["metadata"] = metadata,
            ["spec"] = new JsonObject
            {
                ["accessModes"] = new JsonArray("ReadWriteOnce"),
                ["resources"] = new JsonObject { ["requests"] = new JsonObject { ["storage"] = "64Mi" } },
                ["storageClassName"] = className,
            },
        });
    }

    private static JsonObject? Claim(TwoNodeCluster cluster, string name) => cluster.Sandbox.Get("v1", "PersistentVolumeClaim", name, "default");

    [Fact]
    public async Task NodeDeployment_WffcClaimGoesToItsNode_ImmediateClaimIsProvisionedOnce_DeletionByTheOwningNode()
    {
        await using var cluster = await TwoNodeCluster.StartAsync();
        SeedClass(cluster, "local-wffc", "WaitForFirstConsumer");
        SeedClass(cluster, "local-now", "Immediate");
        SeedClaim(cluster, "wffc", "local-wffc", selectedNode: "node-b");
        SeedClaim(cluster, "now", "local-now");
        cluster.StartProvisioner("node-a");
        cluster.StartProvisioner("node-b");

        await ProvisionerCluster.WaitForAsync(() => Text(Claim(cluster, "wffc")?["status"]?["phase"]) == "Bound", "the WFFC claim to be Bound", TimeSpan.FromSeconds(60));
        await ProvisionerCluster.WaitForAsync(() => Text(Claim(cluster, "now")?["status"]?["phase"]) == "Bound", "the Immediate claim to be Bound", TimeSpan.FromSeconds(60));

        var wffcPv = cluster.Sandbox.Get("v1", "PersistentVolume", Text(Claim(cluster, "wffc")!["spec"]!["volumeName"]))!;
        Assert.Equal("node-b", Text(wffcPv["spec"]!["nodeAffinity"]!["required"]!["nodeSelectorTerms"]![0]!["matchExpressions"]![0]!["values"]![0]));
        var owner = Text(Claim(cluster, "now")!["metadata"]!["annotations"]![SelectedNode]);
        Assert.Contains(owner, TwoNodeCluster.Nodes);
        var nowPv = cluster.Sandbox.Get("v1", "PersistentVolume", Text(Claim(cluster, "now")!["spec"]!["volumeName"]))!;
        Assert.Equal(owner, Text(nowPv["spec"]!["nodeAffinity"]!["required"]!["nodeSelectorTerms"]![0]!["matchExpressions"]![0]!["values"]![0]));

        await Task.Delay(TimeSpan.FromSeconds(2)); // a loser that provisions late would show up here
        var onA = await cluster.DriverVolumesAsync("node-a");
        var onB = await cluster.DriverVolumesAsync("node-b");
        Assert.Equal(2, onA.Count + onB.Count);
        Assert.Equal(owner == "node-b" ? 2 : 1, onB.Count);
        Assert.Equal(2, cluster.Sandbox.List("v1", "PersistentVolume").Count);

        // Deleting the claims: each volume is deleted by its node's provisioner, in its node's driver.
        cluster.Sandbox.Delete("v1", "PersistentVolumeClaim", "wffc", "default");
        cluster.Sandbox.Delete("v1", "PersistentVolumeClaim", "now", "default");
        await ProvisionerCluster.WaitForAsync(() => cluster.Sandbox.List("v1", "PersistentVolume").Count == 0, "both PersistentVolumes to be deleted", TimeSpan.FromSeconds(60));
        Assert.Empty(await cluster.DriverVolumesAsync("node-a"));
        Assert.Empty(await cluster.DriverVolumesAsync("node-b"));
    }

    [Fact]
    public async Task EnableCapacity_PublishesPerClassAndNode_FollowsVolumesAndClasses()
    {
        await using var cluster = await TwoNodeCluster.StartAsync();
        SeedClass(cluster, "local-wffc", "WaitForFirstConsumer");
        SeedClass(cluster, "local-now", "Immediate");
        var env = new Dictionary<string, string> { ["NAMESPACE"] = "kube-system" };
        cluster.StartProvisioner("node-a", env, "--enable-capacity", "--capacity-poll-interval=1s", "--capacity-ownerref-level=-1");
        cluster.StartProvisioner("node-b", env, "--enable-capacity", "--capacity-poll-interval=1s", "--capacity-ownerref-level=-1");

        IReadOnlyList<JsonObject> Published() => cluster.Sandbox.List("storage.k8s.io/v1", "CSIStorageCapacity", "kube-system");
        string CapacityOf(string node) => Text(Published().Single(c => Text(c["nodeTopology"]!["matchLabels"]![ProvisionerCluster.TopologyKey]) == node)["capacity"]);
        await ProvisionerCluster.WaitForAsync(() => Published().Count == 2, "one CSIStorageCapacity per node for the WFFC class", TimeSpan.FromSeconds(30));
        foreach (var item in Published())
        {
            Assert.Equal("local-wffc", Text(item["storageClassName"]));
            Assert.StartsWith("csisc-", Text(item["metadata"]!["name"]), StringComparison.Ordinal);
            Assert.Equal(ProvisionerCluster.DriverName, Text(item["metadata"]!["labels"]!["csi.storage.k8s.io/drivername"]));
            var node = Text(item["nodeTopology"]!["matchLabels"]![ProvisionerCluster.TopologyKey]);
            Assert.Equal("external-provisioner-" + node, Text(item["metadata"]!["labels"]!["csi.storage.k8s.io/managed-by"]));
            Assert.NotEqual("0", Text(item["capacity"]));
        }
        var before = CapacityOf("node-a");
        Assert.Equal(before, CapacityOf("node-b"));

        SeedClaim(cluster, "wffc", "local-wffc", selectedNode: "node-a");
        await ProvisionerCluster.WaitForAsync(() => Text(Claim(cluster, "wffc")?["status"]?["phase"]) == "Bound", "the claim to be Bound", TimeSpan.FromSeconds(60));
        await ProvisionerCluster.WaitForAsync(() => CapacityOf("node-a") != before, "node-a's capacity to drop after the volume", TimeSpan.FromSeconds(30));
        Assert.Equal(before, CapacityOf("node-b"));

        cluster.Sandbox.Delete("storage.k8s.io/v1", "StorageClass", "local-wffc");
        await ProvisionerCluster.WaitForAsync(() => Published().Count == 0, "the objects of the deleted class to go", TimeSpan.FromSeconds(30));
    }
}
