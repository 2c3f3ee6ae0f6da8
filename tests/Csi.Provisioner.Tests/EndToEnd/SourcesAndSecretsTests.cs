using System.Text;
using System.Text.Json.Nodes;

namespace Csi.Provisioner.Tests.EndToEnd;

/// <summary>Secret templates, data sources, and the metrics and health endpoint.</summary>
public class SourcesAndSecretsTests
{
    private static string Text(JsonNode? node) => node?.GetValue<string>() ?? string.Empty;

    private static string Messages(ProvisionerCluster cluster, string claim)
        => string.Join("\n", cluster.Events(claim, "ProvisioningFailed").Select(e => Text(e["message"])));

    private static Dictionary<string, string> SecretParameters => new()
    {
        ["csi.storage.k8s.io/provisioner-secret-name"] = "${pvc.name}-creds",
        ["csi.storage.k8s.io/provisioner-secret-namespace"] = "${pvc.namespace}",
    };

    [Fact]
    public async Task ProvisionerSecretTemplate_IsReadForCreateVolume_AndKeptForDeletion()
    {
        await using var cluster = await ProvisionerCluster.StartAsync();
        cluster.SeedClass("secret", parameters: SecretParameters);
        cluster.Sandbox.Seed(new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "Secret",
            ["metadata"] = new JsonObject { ["name"] = "data-creds", ["namespace"] = "default" },
            ["data"] = new JsonObject { ["token"] = Convert.ToBase64String(Encoding.UTF8.GetBytes("s3cr3t")) },
        });
        var uid = cluster.SeedClaim("data", "secret");
        var missing = cluster.SeedClaim("nocreds", "secret");
        cluster.StartProvisioner();

        await ProvisionerCluster.WaitForAsync(() => Text(cluster.Claim("data")?["status"]?["phase"]) == "Bound", "the claim to be Bound");
        var annotations = cluster.Volume("pvc-" + uid)!["metadata"]!["annotations"]!;
        Assert.Equal("data-creds", Text(annotations["volume.kubernetes.io/provisioner-deletion-secret-name"]));
        Assert.Equal("default", Text(annotations["volume.kubernetes.io/provisioner-deletion-secret-namespace"]));
        Assert.True(cluster.Sandbox.CountRequests(verb: "get", resource: "secrets", name: "data-creds") >= 1);

        await ProvisionerCluster.WaitForAsync(() => Messages(cluster, "nocreds").Contains("default/nocreds-creds", StringComparison.Ordinal), "an event naming the missing secret");
        Assert.DoesNotContain("s3cr3t", string.Join("\n", cluster.Sandbox.List("v1", "Event", "default").Select(e => e.ToJsonString())), StringComparison.Ordinal);
        Assert.Null(cluster.Volume("pvc-" + missing));

        cluster.Sandbox.Delete("v1", "PersistentVolumeClaim", "data", "default");
        await ProvisionerCluster.WaitForAsync(() => cluster.Volume("pvc-" + uid) is null, "the PersistentVolume to be deleted");
    }

    [Fact]
    public async Task SnapshotDataSource_IsRefusedWithAClearEvent()
    {
        await using var cluster = await ProvisionerCluster.StartAsync();
        cluster.SeedClass("fast");
        cluster.SeedClaim("restore", "fast", dataSource: new JsonObject { ["apiGroup"] = "snapshot.storage.k8s.io", ["kind"] = "VolumeSnapshot", ["name"] = "snap" });
        cluster.StartProvisioner();

        await ProvisionerCluster.WaitForAsync(() => Messages(cluster, "restore").Contains("VolumeSnapshot \"snap\" is not supported", StringComparison.Ordinal), "the ProvisioningFailed event");
        Assert.Empty(await cluster.DriverVolumesAsync());
    }

    [Fact]
    public async Task ClaimDataSource_ClonesTheSourceVolume()
    {
        await using var cluster = await ProvisionerCluster.StartAsync();
        cluster.SeedClass("fast");
        var sourceUid = cluster.SeedClaim("source", "fast");
        var port = Csi.Testing.LoopbackPort.GetFree();
        cluster.StartProvisioner($"--http-endpoint=127.0.0.1:{port}");
        await ProvisionerCluster.WaitForAsync(() => Text(cluster.Claim("source")?["status"]?["phase"]) == "Bound", "the source to be Bound");

        var cloneUid = cluster.SeedClaim("clone", "fast", dataSource: new JsonObject { ["kind"] = "PersistentVolumeClaim", ["name"] = "source" });
        await ProvisionerCluster.WaitForAsync(() => Text(cluster.Claim("clone")?["status"]?["phase"]) == "Bound", "the clone to be Bound");
        Assert.Equal(2, (await cluster.DriverVolumesAsync()).Count);
        Assert.NotEqual(Text(cluster.Volume("pvc-" + sourceUid)!["spec"]!["csi"]!["volumeHandle"]), Text(cluster.Volume("pvc-" + cloneUid)!["spec"]!["csi"]!["volumeHandle"]));

        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
        var metrics = await http.GetStringAsync("/metrics");
        Assert.Contains("csi_sidecar_operations_seconds_count{driver_name=\"local.csi.csi-suite.dev\",method_name=\"/csi.v1.Controller/CreateVolume\",grpc_status_code=\"OK\"} 2", metrics, StringComparison.Ordinal);
        Assert.Contains("workqueue_adds_total", metrics, StringComparison.Ordinal);
        // The same text through the Prometheus project's own parser.
        var families = Csi.Testing.PrometheusText.Parse(metrics);
        var operations = Csi.Testing.PrometheusText.Family(families, "csi_sidecar_operations_seconds");
        Assert.Equal("histogram", operations.Type);
        Assert.Contains(operations.Samples, s => s.Name == "csi_sidecar_operations_seconds_count" && s.Labels["method_name"] == "/csi.v1.Controller/CreateVolume" && s.Value == 2);
        Assert.Equal("counter", Csi.Testing.PrometheusText.Family(families, "workqueue_adds").Type);
        Assert.Equal("ok", await http.GetStringAsync("/healthz/leader-election"));
    }

    private const string CloningProtection = "provisioner.storage.kubernetes.io/cloning-protection";

    private static bool IsProtected(JsonObject? claim)
        => claim?["metadata"]?["finalizers"]?.AsArray().Any(f => Text(f) == CloningProtection) == true;

    /// <summary>A Bound source claim, a provisioner with a short --timeout, and the driver paused under a clone's CreateVolume.</summary>
    private static async Task<(ProvisionerCluster Cluster, string SourceUid, string CloneUid)> StartCloneWithDriverPausedAsync()
    {
        var cluster = await ProvisionerCluster.StartAsync();
        cluster.SeedClass("fast");
        var sourceUid = cluster.SeedClaim("source", "fast");
        cluster.StartProvisioner("--timeout=1s");
        await ProvisionerCluster.WaitForAsync(() => Text(cluster.Claim("source")?["status"]?["phase"]) == "Bound", "the source to be Bound");
        Assert.False(IsProtected(cluster.Claim("source")));

        cluster.Driver!.Pause();
        try
        {
            var cloneUid = cluster.SeedClaim("clone", "fast", dataSource: new JsonObject { ["kind"] = "PersistentVolumeClaim", ["name"] = "source" });
            await ProvisionerCluster.WaitForAsync(() => cluster.Events("clone", "Provisioning").Any(), "the clone's CreateVolume to be sent");
            return (cluster, sourceUid, cloneUid);
        }
        catch
        {
            cluster.Driver.Resume();
            await cluster.DisposeAsync();
            throw;
        }
    }

    [Fact]
    public async Task Clone_ProtectsItsSourceDuringCreateVolume_AndReleasesItAfter()
    {
        var started = await StartCloneWithDriverPausedAsync();
        await using var cluster = started.Cluster;
        var cloneUid = started.CloneUid;
        try
        {
            Assert.True(IsProtected(cluster.Claim("source")));
            await ProvisionerCluster.WaitForAsync(() => Messages(cluster, "clone").Contains("DeadlineExceeded", StringComparison.Ordinal), "the clone's CreateVolume to time out");
            Assert.True(IsProtected(cluster.Claim("source")));
        }
        finally
        {
            cluster.Driver!.Resume();
        }

        await ProvisionerCluster.WaitForAsync(() => Text(cluster.Claim("clone")?["status"]?["phase"]) == "Bound", "the clone to be Bound");
        await ProvisionerCluster.WaitForAsync(() => !IsProtected(cluster.Claim("source")), "the finalizer to leave the source");
        Assert.Equal("Bound", Text(cluster.Claim("source")!["status"]!["phase"]));
        Assert.NotNull(cluster.Volume("pvc-" + cloneUid));
        Assert.Equal(2, (await cluster.DriverVolumesAsync()).Count);
    }

    [Fact]
    public async Task SourceDeletedDuringCloning_StaysUntilTheCloneIsProvisioned()
    {
        var started = await StartCloneWithDriverPausedAsync();
        await using var cluster = started.Cluster;
        var (sourceUid, cloneUid) = (started.SourceUid, started.CloneUid);
        try
        {
            cluster.Sandbox.Delete("v1", "PersistentVolumeClaim", "source", "default");
            await cluster.Sandbox.WaitForControllersAsync();
            await ProvisionerCluster.WaitForAsync(() => Messages(cluster, "clone").Contains("DeadlineExceeded", StringComparison.Ordinal), "the clone's CreateVolume to time out");
            var source = cluster.Claim("source");
            Assert.NotNull(source?["metadata"]?["deletionTimestamp"]);
            Assert.Equal([CloningProtection], source!["metadata"]!["finalizers"]!.AsArray().Select(Text));
        }
        finally
        {
            cluster.Driver!.Resume();
        }

        await ProvisionerCluster.WaitForAsync(() => Text(cluster.Claim("clone")?["status"]?["phase"]) == "Bound", "the clone to be Bound");
        await ProvisionerCluster.WaitForAsync(() => cluster.Claim("source") is null, "the source claim to be deleted");
        Assert.NotNull(cluster.Volume("pvc-" + cloneUid));
        await ProvisionerCluster.WaitForAsync(() => cluster.Volume("pvc-" + sourceUid) is null, "the source's released volume to be deleted");
        Assert.Single(await cluster.DriverVolumesAsync());
    }
}
