using System.Text.Json.Nodes;
using Csi.Testing;

namespace Csi.Provisioner.Tests.EndToEnd;

/// <summary>What the provisioner writes is checked against the official Kubernetes OpenAPI schemas (npm kubernetes-models).</summary>
public class ObjectSchemaTests
{
    private static string Text(JsonNode? node) => node?.GetValue<string>() ?? string.Empty;

    private static readonly string[] Election = ["--leader-election", "--leader-election-namespace=default", "--leader-election-lease-duration=3s", "--leader-election-renew-deadline=2s", "--leader-election-retry-period=500ms"];

    [Fact]
    public async Task EveryObjectTheProvisionerWrites_PassesTheKubernetesSchemas()
    {
        await using var cluster = await ProvisionerCluster.StartAsync();
        cluster.SeedClass("fast");
        cluster.SeedClass("wffc", bindingMode: "WaitForFirstConsumer", reclaimPolicy: "Retain");
        cluster.Sandbox.Seed(new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "Pod",
            ["metadata"] = new JsonObject { ["name"] = "csi-provisioner-0", ["namespace"] = "default" },
            ["spec"] = new JsonObject { ["containers"] = new JsonArray(new JsonObject { ["name"] = "csi-provisioner", ["image"] = "csi-provisioner" }) },
        });
        var environment = new Dictionary<string, string> { ["NAMESPACE"] = "default", ["POD_NAME"] = "csi-provisioner-0" };
        cluster.StartProvisioner(environment, [.. Election, "--enable-capacity", "--capacity-poll-interval=1s", "--capacity-ownerref-level=0", "--extra-create-metadata"]);

        // Immediate, WaitForFirstConsumer (a pod on the node), a clone (its source is patched twice), a claim too big
        // for the node (its selected node is patched away).
        cluster.SeedClaim("immediate", "fast");
        cluster.SeedClaim("late", "wffc");
        cluster.SeedPod("app", "late");
        cluster.SeedClaim("big", "wffc", "4Gi", new() { ["volume.kubernetes.io/selected-node"] = ProvisionerCluster.NodeName });
        await ProvisionerCluster.WaitForAsync(() => Text(cluster.Claim("immediate")?["status"]?["phase"]) == "Bound", "the Immediate claim to be Bound");
        cluster.SeedClaim("clone", "fast", dataSource: new JsonObject { ["kind"] = "PersistentVolumeClaim", ["name"] = "immediate" });
        await ProvisionerCluster.WaitForAsync(() => Text(cluster.Claim("late")?["status"]?["phase"]) == "Bound", "the WaitForFirstConsumer claim to be Bound");
        await ProvisionerCluster.WaitForAsync(() => Text(cluster.Claim("clone")?["status"]?["phase"]) == "Bound", "the clone to be Bound");
        await ProvisionerCluster.WaitForAsync(() => cluster.Claim("immediate")?["metadata"]?["finalizers"]?.AsArray().Any(f => Text(f) == "provisioner.storage.kubernetes.io/cloning-protection") == false, "the clone's source to be released");
        await ProvisionerCluster.WaitForAsync(() => cluster.Events("big", "ProvisioningFailed").Any(), "the too-big claim to fail");
        await ProvisionerCluster.WaitForAsync(() => cluster.Claim("big")?["metadata"]?["annotations"]?["volume.kubernetes.io/selected-node"] is null, "the too-big claim's selected node to be removed");
        await ProvisionerCluster.WaitForAsync(() => cluster.Sandbox.List("storage.k8s.io/v1", "CSIStorageCapacity", "default").Count == 1, "the CSIStorageCapacity of the WaitForFirstConsumer class");
        await ProvisionerCluster.WaitForAsync(() => cluster.Events("late", "ProvisioningSucceeded").Any() && cluster.Events("clone", "ProvisioningSucceeded").Any(), "the ProvisioningSucceeded events");

        var patchedClaims = cluster.Sandbox.RequestLog
            .Where(r => r.UserAgent?.StartsWith("csi-provisioner/", StringComparison.Ordinal) == true && r.Resource == "persistentvolumeclaims" && r.Verb is "patch" or "update" && r.StatusCode < 300)
            .Select(r => r.Name!).ToHashSet(StringComparer.Ordinal);
        Assert.Superset(new HashSet<string>(["immediate", "big"], StringComparer.Ordinal), patchedClaims);
        List<JsonObject> written =
        [
            .. cluster.Sandbox.List("v1", "PersistentVolume"),
            .. cluster.Sandbox.List("v1", "Event"),
            .. cluster.Sandbox.List("coordination.k8s.io/v1", "Lease", "default"),
            .. cluster.Sandbox.List("storage.k8s.io/v1", "CSIStorageCapacity", "default"),
            .. patchedClaims.Select(name => cluster.Claim(name)!),
        ];
        Assert.Equal(["CSIStorageCapacity", "Event", "Lease", "PersistentVolume", "PersistentVolumeClaim"], written.Select(o => Text(o["kind"])).Distinct().Order(StringComparer.Ordinal));
        Assert.Equal(3, written.Count(o => Text(o["kind"]) == "PersistentVolume"));

        var results = KubernetesModels.Validate(written);
        Assert.Equal(written.Count, results.Count);
        Assert.All(results, r => Assert.True(r.Valid, r.ToString()));
    }
}
