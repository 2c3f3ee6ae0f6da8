using System.Text.Json.Nodes;

namespace Csi.Provisioner.Tests.EndToEnd;

/// <summary>A thousand claims created at once, provisioned by one provisioner and the real local-volume driver.</summary>
public class ManyClaimsTests
{
    private const int Claims = 1000;

    private static readonly TimeSpan Deadline = TimeSpan.FromMinutes(5);

    private static string Text(JsonNode? node) => node?.GetValue<string>() ?? string.Empty;

    [Fact]
    public async Task ThousandClaims_AreEachBoundToOneVolume_AndDeletingThemLeavesNoVolume()
    {
        await using var cluster = await ProvisionerCluster.StartAsync(poolBytes: Claims * (64L << 20), poolInMemory: true);
        cluster.SeedClass("fast");
        // Upstream's worker count, and no client-side throttling: the test is about the outcome, not the rate.
        cluster.StartProvisioner("--worker-threads=100");
        var uids = Enumerable.Range(0, Claims).Select(i => cluster.SeedClaim($"data-{i}", "fast")).ToArray();

        // Counting volumes is cheap; reading every claim's phase is left for when they all exist.
        await ProvisionerCluster.WaitForAsync(() => cluster.Sandbox.Count("v1", "PersistentVolume") >= Claims, $"{Claims} PersistentVolumes", Deadline, TimeSpan.FromMilliseconds(100));
        await ProvisionerCluster.WaitForAsync(() => BoundClaims(cluster) == Claims, $"{Claims} claims to be Bound", Deadline, TimeSpan.FromMilliseconds(100));

        // Every claim is bound to the volume named after it, and that volume to the claim and nothing else.
        var claims = cluster.Sandbox.List("v1", "PersistentVolumeClaim", "default");
        var volumes = cluster.Sandbox.List("v1", "PersistentVolume");
        Assert.Equal(Claims, claims.Count);
        Assert.Equal(Claims, volumes.Count);
        var volumeOfClaim = claims.ToDictionary(c => Text(c["metadata"]!["uid"]), c => Text(c["spec"]!["volumeName"]));
        Assert.Equal(uids.Order(), volumeOfClaim.Keys.Order());
        Assert.All(volumeOfClaim, pair => Assert.Equal("pvc-" + pair.Key, pair.Value));
        Assert.All(volumes, pv => Assert.Equal("Bound", Text(pv["status"]!["phase"])));
        var claimOfVolume = volumes.ToDictionary(pv => Text(pv["metadata"]!["name"]), pv => Text(pv["spec"]!["claimRef"]!["uid"]));
        Assert.Equal(volumeOfClaim.Values.Order(), claimOfVolume.Keys.Order());
        Assert.All(claimOfVolume, pair => Assert.Equal("pvc-" + pair.Value, pair.Key));

        // The driver holds exactly the volumes the PersistentVolumes name: one per claim, none leaked.
        var handles = volumes.Select(pv => Text(pv["spec"]!["csi"]!["volumeHandle"])).Order().ToArray();
        Assert.Equal(Claims, handles.Distinct().Count());
        Assert.Equal(handles, (await cluster.DriverVolumesAsync()).Select(v => v.Volume.VolumeId).Order());
        Assert.Equal(handles, cluster.VolumeFilesInPool().Order());

        foreach (var i in Enumerable.Range(0, Claims))
        {
            cluster.Sandbox.Delete("v1", "PersistentVolumeClaim", $"data-{i}", "default");
        }

        await ProvisionerCluster.WaitForAsync(() => cluster.Sandbox.Count("v1", "PersistentVolume") == 0, "every PersistentVolume to be deleted", Deadline, TimeSpan.FromMilliseconds(100));
        Assert.Equal(0, cluster.Sandbox.Count("v1", "PersistentVolumeClaim", "default"));
        Assert.Empty(await cluster.DriverVolumesAsync());
        Assert.Empty(cluster.VolumeFilesInPool());
    }

    private static int BoundClaims(ProvisionerCluster cluster)
        => cluster.Sandbox.List("v1", "PersistentVolumeClaim", "default").Count(c => Text(c["status"]?["phase"]) == "Bound");
}
