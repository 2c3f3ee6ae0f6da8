using System.Text.Json.Nodes;

namespace Csi.Provisioner.Tests.EndToEnd;

/// <summary>WaitForFirstConsumer, reclaim Delete and Retain, end to end.</summary>
public class BindingAndReclaimTests
{
    private static string Text(JsonNode? node) => node?.GetValue<string>() ?? string.Empty;

    [Fact]
    public async Task WaitForFirstConsumer_ProvisionsOnlyOnceAPodSelectsTheNode()
    {
        await using var cluster = await ProvisionerCluster.StartAsync();
        cluster.SeedClass("local", bindingMode: "WaitForFirstConsumer");
        var uid = cluster.SeedClaim("data", "local");
        cluster.StartProvisioner("--strict-topology");

        await Task.Delay(1500);
        Assert.Null(cluster.Volume("pvc-" + uid));
        Assert.Empty(await cluster.DriverVolumesAsync());

        cluster.SeedPod("app", "data");
        await ProvisionerCluster.WaitForAsync(() => Text(cluster.Claim("data")?["status"]?["phase"]) == "Bound", "the claim to be Bound");
        var pv = cluster.Volume("pvc-" + uid)!;
        Assert.Equal(ProvisionerCluster.NodeName, Text(pv["spec"]!["nodeAffinity"]!["required"]!["nodeSelectorTerms"]![0]!["matchExpressions"]![0]!["values"]![0]));
        Assert.Single(await cluster.DriverVolumesAsync());
    }

    [Fact]
    public async Task ReclaimDelete_DeletesTheVolumeInTheDriver_AndThePersistentVolume()
    {
        await using var cluster = await ProvisionerCluster.StartAsync();
        cluster.SeedClass("fast");
        var uid = cluster.SeedClaim("data", "fast");
        cluster.StartProvisioner();
        await ProvisionerCluster.WaitForAsync(() => Text(cluster.Claim("data")?["status"]?["phase"]) == "Bound", "the claim to be Bound");
        Assert.Single(await cluster.DriverVolumesAsync());

        cluster.Sandbox.Delete("v1", "PersistentVolumeClaim", "data", "default");
        await ProvisionerCluster.WaitForAsync(() => cluster.Volume("pvc-" + uid) is null, "the PersistentVolume to be deleted");
        Assert.Empty(await cluster.DriverVolumesAsync());
    }

    [Fact]
    public async Task ReclaimRetain_KeepsTheVolume_AndRemovesTheFinalizer_ThroughAConflict()
    {
        await using var cluster = await ProvisionerCluster.StartAsync();
        cluster.SeedClass("keep", reclaimPolicy: "Retain");
        var uid = cluster.SeedClaim("data", "keep");
        cluster.Sandbox.FailNextRequests(1, 409, verb: "update", resource: "persistentvolumes");
        cluster.StartProvisioner();
        await ProvisionerCluster.WaitForAsync(() => Text(cluster.Claim("data")?["status"]?["phase"]) == "Bound", "the claim to be Bound");
        // The provisioner's finalizer goes at once for a Retain volume; a stale write is answered 409 and retried.
        var pvName = "pvc-" + uid;
        await ProvisionerCluster.WaitForAsync(() => cluster.Volume(pvName)?["metadata"]?["finalizers"]?.AsArray().Select(Text).Contains("external-provisioner.volume.kubernetes.io/finalizer") != true, "the finalizer to be removed");
        Assert.Equal(2, cluster.Sandbox.CountRequests(verb: "update", resource: "persistentvolumes"));

        cluster.Sandbox.Delete("v1", "PersistentVolumeClaim", "data", "default");
        await ProvisionerCluster.WaitForAsync(() => Text(cluster.Volume(pvName)?["status"]?["phase"]) == "Released", "the PersistentVolume to be Released");
        await Task.Delay(1000);
        Assert.NotNull(cluster.Volume(pvName));
        Assert.Single(await cluster.DriverVolumesAsync());
    }
}
