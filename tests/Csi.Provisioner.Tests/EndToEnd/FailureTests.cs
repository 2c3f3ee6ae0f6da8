using System.Diagnostics;
using System.Text.Json.Nodes;

namespace Csi.Provisioner.Tests.EndToEnd;

/// <summary>Failures: bad parameters, a full pool, a lost PV write, a claim deleted during CreateVolume, a late or missing driver.</summary>
public class FailureTests
{
    private static string Text(JsonNode? node) => node?.GetValue<string>() ?? string.Empty;

    private static string Messages(ProvisionerCluster cluster, string claim)
        => string.Join("\n", cluster.Events(claim, "ProvisioningFailed").Select(e => Text(e["message"])));

    [Fact]
    public async Task InfeasibleParameter_IsAProvisioningFailedEventNamingIt()
    {
        await using var cluster = await ProvisionerCluster.StartAsync();
        cluster.SeedClass("bad", parameters: new() { ["pool"] = "nope" });
        cluster.SeedClass("reserved", parameters: new() { ["csi.storage.k8s.io/fs-type"] = "xfs" });
        var uid = cluster.SeedClaim("data", "bad");
        cluster.SeedClaim("other", "reserved");
        cluster.StartProvisioner();

        await ProvisionerCluster.WaitForAsync(() => Messages(cluster, "data").Contains("InvalidArgument", StringComparison.Ordinal), "a ProvisioningFailed event for the bad pool");
        Assert.Contains("pool", Messages(cluster, "data"), StringComparison.Ordinal);
        Assert.Contains("fix the StorageClass parameters", Messages(cluster, "data"), StringComparison.Ordinal);
        await ProvisionerCluster.WaitForAsync(() => Messages(cluster, "other").Contains("csi.storage.k8s.io/fs-type", StringComparison.Ordinal), "a ProvisioningFailed event for the reserved key");
        Assert.Null(cluster.Volume("pvc-" + uid));
        Assert.Empty(await cluster.DriverVolumesAsync());
    }

    [Fact]
    public async Task PoolTooSmall_OnTheSelectedNode_AsksTheSchedulerAgain()
    {
        await using var cluster = await ProvisionerCluster.StartAsync(poolBytes: 32L << 20);
        cluster.SeedClass("local", bindingMode: "WaitForFirstConsumer");
        cluster.SeedClaim("big", "local", "1Gi", new() { ["volume.kubernetes.io/selected-node"] = ProvisionerCluster.NodeName });
        cluster.StartProvisioner();

        await ProvisionerCluster.WaitForAsync(() => cluster.Claim("big")?["metadata"]?["annotations"]?["volume.kubernetes.io/selected-node"] is null, "the selected node to be removed");
        await ProvisionerCluster.WaitForAsync(() => Messages(cluster, "big").Contains("ResourceExhausted", StringComparison.Ordinal), "the ProvisioningFailed event");
        Assert.Contains("asking the scheduler for another node", Messages(cluster, "big"), StringComparison.Ordinal);
        Assert.Empty(await cluster.DriverVolumesAsync());
    }

    [Fact]
    public async Task PersistentVolumeWriteFails_AfterCreateVolume_TheRetryReusesTheSameVolume()
    {
        await using var cluster = await ProvisionerCluster.StartAsync();
        cluster.SeedClass("fast");
        cluster.Sandbox.FailNextRequests(2, 500, verb: "create", resource: "persistentvolumes");
        var uid = cluster.SeedClaim("data", "fast");
        cluster.StartProvisioner();

        await ProvisionerCluster.WaitForAsync(() => Text(cluster.Claim("data")?["status"]?["phase"]) == "Bound", "the claim to be Bound");
        Assert.Equal(3, cluster.Sandbox.CountRequests(verb: "create", resource: "persistentvolumes"));
        var volume = Assert.Single(await cluster.DriverVolumesAsync());
        Assert.Equal(volume.Volume.VolumeId, Text(cluster.Volume("pvc-" + uid)!["spec"]!["csi"]!["volumeHandle"]));
    }

    [Fact]
    public async Task ClaimDeleted_WhileCreateVolumeHangs_TheVolumeIsDeletedOnceTheDriverAnswers()
    {
        await using var cluster = await ProvisionerCluster.StartAsync();
        cluster.SeedClass("fast");
        cluster.StartProvisioner("--timeout=1s");
        await cluster.Sandbox.WaitForWatchesAsync(1, "persistentvolumeclaims"); // the provisioner has probed the driver

        cluster.Driver!.Pause();
        string uid;
        try
        {
            uid = cluster.SeedClaim("data", "fast");
            await ProvisionerCluster.WaitForAsync(() => cluster.Events("data", "Provisioning").Any(), "CreateVolume to be sent");
            cluster.Sandbox.Delete("v1", "PersistentVolumeClaim", "data", "default");
            await ProvisionerCluster.WaitForAsync(() => cluster.Claim("data") is null, "the claim to be deleted");
            await ProvisionerCluster.WaitForAsync(() => Messages(cluster, "data").Contains("the claim was deleted, but the volume may still be being created", StringComparison.Ordinal), "CreateVolume to be repeated for the deleted claim");
            Assert.Contains("DeadlineExceeded", Messages(cluster, "data"), StringComparison.Ordinal);
        }
        finally
        {
            cluster.Driver.Resume();
        }

        // The driver now answers the calls that waited: the volume exists, the provisioner learns of it and deletes it.
        await ProvisionerCluster.WaitForAsync(() => cluster.Events("data", "ProvisioningSucceeded").Any(), "the driver's answer");
        Assert.Contains("the claim was deleted meanwhile", Text(cluster.Events("data", "ProvisioningSucceeded").First()["message"]), StringComparison.Ordinal);
        await ProvisionerCluster.WaitForAsync(() => cluster.Volume("pvc-" + uid) is null, "the released PersistentVolume to be deleted");
        Assert.Empty(await cluster.DriverVolumesAsync());
        Assert.Empty(cluster.Events("pvc-" + uid, "VolumeFailedDelete"));
    }

    [Fact]
    public async Task DriverStartsLate_TheProvisionerWaitsForItsProbe()
    {
        await using var cluster = await ProvisionerCluster.StartAsync(startDriver: false);
        cluster.SeedClass("fast");
        cluster.SeedClaim("data", "fast");
        cluster.StartProvisioner();
        await Task.Delay(1500);
        await cluster.StartDriverAsync();

        await ProvisionerCluster.WaitForAsync(() => Text(cluster.Claim("data")?["status"]?["phase"]) == "Bound", "the claim to be Bound");
    }

    [Fact]
    public async Task DriverUnreachable_TheBinaryExitsWithOneLineNamingTheSocket()
    {
        await using var cluster = await ProvisionerCluster.StartAsync(startDriver: false);
        var start = new ProcessStartInfo(ProvisionerCluster.ProvisionerBinary) { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var argument in cluster.Arguments("--timeout=1s"))
        {
            start.ArgumentList.Add(argument);
        }
        using var process = Process.Start(start)!;
        var stderr = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(20));

        Assert.Equal(1, process.ExitCode);
        var line = Assert.Single(stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("csi-provisioner: the CSI driver at " + cluster.SocketPath + " is not ready after 1s", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task BadFlag_TheBinaryExitsWithOneLineNamingTheFlag()
    {
        var start = new ProcessStartInfo(ProvisionerCluster.ProvisionerBinary, ["--worker-threads=0"]) { RedirectStandardError = true, RedirectStandardOutput = true };
        using var process = Process.Start(start)!;
        var stderr = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(20));
        Assert.Equal(2, process.ExitCode);
        Assert.StartsWith("csi-provisioner: --worker-threads", Assert.Single(stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries)), StringComparison.Ordinal);
    }
}
