using System.Text.Json.Nodes;
using k8s;
using k8s.Models;

namespace Csi.Sandboxes.Kubernetes.Tests;

/// <summary>kubectl v1.33 against the sandbox, over TLS with the kubeconfig the sandbox writes.</summary>
public sealed class KubectlTests : ClientTestBase
{
    protected override KubernetesSandboxOptions CreateOptions() => new() { UseTls = true, EmulateVolumeControllers = true };

    private const string Claim = """
        apiVersion: v1
        kind: PersistentVolumeClaim
        metadata:
          name: data
        spec:
          accessModes: [ReadWriteOnce]
          storageClassName: local
          resources:
            requests:
              storage: 1024Mi
        """;

    [Fact]
    public async Task Version_ReportsTheSandboxServer()
    {
        var version = JsonNode.Parse(await KubectlOkAsync("version -o json"))!;

        Assert.Equal(new KubernetesSandboxOptions().KubernetesVersion, version["serverVersion"]!["gitVersion"]!.GetValue<string>());
        Assert.StartsWith("v1.33.", version["clientVersion"]!["gitVersion"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Apply_StoresCanonicalQuantities_AndTheProtectionFinalizer()
    {
        await KubectlOkAsync("apply --validate=false -f -", Claim);

        var claim = JsonNode.Parse(await KubectlOkAsync("get pvc data -o json"))!;

        Assert.Equal("1Gi", claim["spec"]!["resources"]!["requests"]!["storage"]!.GetValue<string>());
        Assert.Contains("kubernetes.io/pvc-protection", claim["metadata"]!["finalizers"]!.AsArray().Select(f => f!.GetValue<string>()));
    }

    [Fact]
    public async Task CreateOfAnInvalidVolume_PrintsTheApiServersCauses()
    {
        var (code, _, stderr) = await KubectlAsync("create --validate=false -f -", """
            apiVersion: v1
            kind: PersistentVolume
            metadata:
              name: code-pv
            spec: {}
            """);

        Assert.NotEqual(0, code);
        Assert.Contains("The PersistentVolume \"code-pv\" is invalid:", stderr, StringComparison.Ordinal);
        Assert.Contains("* spec.accessModes: Required value", stderr, StringComparison.Ordinal);
        Assert.Contains("* spec: Required value: must specify a volume type", stderr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Lease", "coordination.k8s.io/v1", "spec:\n  holderIdentity: a\n  renewTime: \"2026-01-02T03:04:05.1234567Z\"", "parsing time \"2026-01-02T03:04:05.1234567Z\"")]
    [InlineData("PersistentVolume", "v1", "spec:\n  capacity: {storage: 1GiB}\n  accessModes: [ReadWriteOnce]\n  csi: {driver: local.csi.example.com, volumeHandle: v}", "quantities must match the regular expression")]
    public async Task CreateWithAValueTheDecoderRejects_FailsAsABadRequest(string kind, string apiVersion, string spec, string why)
    {
        var (code, _, stderr) = await KubectlAsync("create --validate=false -f -", $"apiVersion: {apiVersion}\nkind: {kind}\nmetadata:\n  name: x\n{spec}\n");

        Assert.NotEqual(0, code);
        Assert.Contains($"{kind} in version \"v1\" cannot be handled as a {kind}: {why}", stderr, StringComparison.Ordinal);
        Assert.Empty(Sandbox.List(apiVersion, kind));
    }

    [Fact]
    public async Task WaitAndDelete_FollowTheEmulatedControllers()
    {
        await Client.StorageV1.CreateStorageClassAsync(new V1StorageClass { Metadata = new V1ObjectMeta { Name = "local" }, Provisioner = "local.csi.example.com" });
        await KubectlOkAsync("apply --validate=false -f -", Claim);
        var claim = Sandbox.Get<V1PersistentVolumeClaim>("data", "default")!;
        await Client.CoreV1.CreatePersistentVolumeAsync(new V1PersistentVolume
        {
            Metadata = new V1ObjectMeta { Name = "pvc-" + claim.Metadata.Uid },
            Spec = new V1PersistentVolumeSpec
            {
                Capacity = new Dictionary<string, ResourceQuantity> { ["storage"] = new("1Gi") },
                AccessModes = ["ReadWriteOnce"],
                StorageClassName = "local",
                Csi = new V1CSIPersistentVolumeSource { Driver = "local.csi.example.com", VolumeHandle = "vol-1" },
                ClaimRef = new V1ObjectReference { Kind = "PersistentVolumeClaim", NamespaceProperty = "default", Name = "data", Uid = claim.Metadata.Uid },
            },
        });

        await KubectlOkAsync("wait --for=jsonpath={.status.phase}=Bound pvc/data --timeout=20s");
        await KubectlOkAsync("delete pvc data --timeout=20s");

        Assert.Null(Sandbox.Get<V1PersistentVolumeClaim>("data", "default"));
        Assert.Equal("Released", Sandbox.Get<V1PersistentVolume>("pvc-" + claim.Metadata.Uid)!.Status.Phase);
    }

    [Fact]
    public async Task Get_ListsVolumeAttachmentsAndWorkloads()
    {
        await Client.AppsV1.CreateNamespacedDeploymentAsync(new V1Deployment
        {
            Metadata = new V1ObjectMeta { Name = "web" },
            Spec = new V1DeploymentSpec
            {
                Selector = new V1LabelSelector { MatchLabels = new Dictionary<string, string> { ["app"] = "web" } },
                Template = new V1PodTemplateSpec { Metadata = new V1ObjectMeta { Labels = new Dictionary<string, string> { ["app"] = "web" } }, Spec = new V1PodSpec { Containers = [new V1Container { Name = "app", Image = "app:1" }] } },
            },
        }, "default");

        var names = await KubectlOkAsync("get deploy,rs,sts,ds,volumeattachments -o name");
        var resources = await KubectlOkAsync("api-resources --api-group=apps -o name");

        Assert.Equal("deployment.apps/web", names.Trim());
        Assert.Contains("statefulsets.apps", resources, StringComparison.Ordinal);
    }
}
