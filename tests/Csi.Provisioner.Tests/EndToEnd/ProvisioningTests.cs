using System.Text.Json.Nodes;

namespace Csi.Provisioner.Tests.EndToEnd;

/// <summary>The provisioner against the API sandbox (volume controllers emulated) and the real local-volume driver.</summary>
public class ProvisioningTests
{
    private static string Text(JsonNode? node) => node?.GetValue<string>() ?? string.Empty;

    [Fact]
    public async Task Immediate_ClaimGetsAVolumeAndIsBound()
    {
        await using var cluster = await ProvisionerCluster.StartAsync();
        cluster.SeedClass("fast", parameters: new() { ["pool"] = "main" });
        var uid = cluster.SeedClaim("data", "fast", "64Mi");
        cluster.StartProvisioner();

        var pvName = "pvc-" + uid;
        await ProvisionerCluster.WaitForAsync(() => Text(cluster.Claim("data")?["status"]?["phase"]) == "Bound", "the claim to be Bound");

        var pv = cluster.Volume(pvName)!;
        Assert.Equal(pvName, Text(cluster.Claim("data")!["spec"]!["volumeName"]));
        Assert.Equal(ProvisionerCluster.DriverName, Text(pv["spec"]!["csi"]!["driver"]));
        Assert.Equal("64Mi", Text(pv["spec"]!["capacity"]!["storage"]));
        Assert.Equal("Delete", Text(pv["spec"]!["persistentVolumeReclaimPolicy"]));
        Assert.Equal("fast", Text(pv["spec"]!["storageClassName"]));
        Assert.Equal(ProvisionerCluster.DriverName, Text(pv["metadata"]!["annotations"]!["pv.kubernetes.io/provisioned-by"]));
        Assert.Contains("external-provisioner.volume.kubernetes.io/finalizer", pv["metadata"]!["finalizers"]!.AsArray().Select(Text));
        Assert.Equal(uid, Text(pv["spec"]!["claimRef"]!["uid"]));
        var expression = pv["spec"]!["nodeAffinity"]!["required"]!["nodeSelectorTerms"]![0]!["matchExpressions"]![0]!;
        Assert.Equal((ProvisionerCluster.TopologyKey, ProvisionerCluster.NodeName), (Text(expression["key"]), Text(expression["values"]![0])));

        var volume = Assert.Single(await cluster.DriverVolumesAsync());
        Assert.Equal(Text(pv["spec"]!["csi"]!["volumeHandle"]), volume.Volume.VolumeId);
        await ProvisionerCluster.WaitForAsync(() => cluster.Events("data", "ProvisioningSucceeded").Any(), "the ProvisioningSucceeded event");
        Assert.Single(cluster.Events("data", "Provisioning"));
        Assert.Contains("Waiting for a volume to be created either by the external provisioner 'local.csi.csi-suite.dev'", Text(Assert.Single(cluster.Events("data", "ExternalProvisioning"))["message"]), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ClaimUpdated_BeforeTheVolumeInformerShowsItsNewVolume_IsNotProvisionedTwice()
    {
        // No PV controller: the claim stays unbound, so only the provisioner's own cache can tell that it is done.
        await using var cluster = await ProvisionerCluster.StartAsync(volumeControllers: false);
        cluster.SeedClass("fast");
        cluster.StartProvisioner();
        await cluster.Sandbox.WaitForWatchesAsync(1, "persistentvolumes", TimeSpan.FromSeconds(20));
        // The volume informer falls behind: its next watch is answered only after the claim is provisioned and updated.
        cluster.Sandbox.DelayNextRequests(1, TimeSpan.FromSeconds(3), verb: "watch", resource: "persistentvolumes");
        cluster.Sandbox.EndWatches();

        var uid = cluster.SeedClaim("data", "fast", annotations: new() { ["volume.kubernetes.io/storage-provisioner"] = ProvisionerCluster.DriverName });
        await ProvisionerCluster.WaitForAsync(() => cluster.Volume("pvc-" + uid) is not null, "the PersistentVolume");
        var claim = cluster.Claim("data")!;
        claim["metadata"]!["labels"] = new JsonObject { ["touched"] = "yes" };
        Assert.Equal(uid, Text(cluster.Sandbox.Seed(claim)["metadata"]!["uid"]));
        await cluster.Sandbox.WaitForWatchesAsync(1, "persistentvolumes", TimeSpan.FromSeconds(20)); // after the delay, long after the update's sync

        Assert.Equal(1, cluster.Sandbox.CountRequests(verb: "create", resource: "persistentvolumes"));
        Assert.Single(cluster.Events("data", "Provisioning"));
        Assert.Single(await cluster.DriverVolumesAsync());
    }
}
