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
}
