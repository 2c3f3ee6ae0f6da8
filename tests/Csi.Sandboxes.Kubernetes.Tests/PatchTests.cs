using System.Net;
using k8s;
using k8s.Models;

namespace Csi.Sandboxes.Kubernetes.Tests;

public sealed class PatchTests : SandboxTestBase
{
    [Fact]
    public async Task MergePatch_AddsAndRemovesLabels()
    {
        await Client.CoreV1.CreateNamespacedSecretAsync(Secret("db", new Dictionary<string, string> { ["a"] = "1", ["b"] = "2" }), "default");

        var patch = new V1Patch("""{"metadata":{"labels":{"a":null,"c":"3"}}}""", V1Patch.PatchType.MergePatch);
        var patched = await Client.CoreV1.PatchNamespacedSecretAsync(patch, "db", "default");

        Assert.Equal(new Dictionary<string, string> { ["b"] = "2", ["c"] = "3" }, patched.Metadata.Labels);
    }

    [Fact]
    public async Task MergePatch_WithStaleResourceVersion_Answers409_AsAnOptimisticLockShould()
    {
        var created = await Client.CoreV1.CreateNamespacedSecretAsync(Secret("db"), "default");
        await Client.CoreV1.PatchNamespacedSecretAsync(new V1Patch("""{"metadata":{"labels":{"x":"1"}}}""", V1Patch.PatchType.MergePatch), "db", "default");

        var stale = new V1Patch($$$"""{"metadata":{"resourceVersion":"{{{created.Metadata.ResourceVersion}}}","ownerReferences":[]}}""", V1Patch.PatchType.MergePatch);
        var (error, status) = await ExpectApiErrorAsync(() => Client.CoreV1.PatchNamespacedSecretAsync(stale, "db", "default"));

        Assert.Equal(HttpStatusCode.Conflict, error.Response.StatusCode);
        Assert.Equal("Conflict", status["reason"]!.GetValue<string>());
    }

    [Fact]
    public async Task JsonPatch_AppliesOperationsInOrder_AndFailedTestAnswers422()
    {
        await Client.CoreV1.CreateNamespacedPodAsync(Pod("web-0", labels: new Dictionary<string, string> { ["app"] = "web" }), "default");

        var ops = new V1Patch("""
            [
              {"op":"test","path":"/metadata/labels/app","value":"web"},
              {"op":"replace","path":"/metadata/labels/app","value":"api"},
              {"op":"add","path":"/metadata/annotations","value":{"note":"x"}},
              {"op":"add","path":"/spec/containers/-","value":{"name":"sidecar","image":"sidecar:1"}}
            ]
            """, V1Patch.PatchType.JsonPatch);
        var patched = await Client.CoreV1.PatchNamespacedPodAsync(ops, "web-0", "default");

        Assert.Equal("api", patched.Metadata.Labels["app"]);
        Assert.Equal("x", patched.Metadata.Annotations["note"]);
        Assert.Equal(["app", "sidecar"], patched.Spec.Containers.Select(c => c.Name).ToArray());

        var failing = new V1Patch("""[{"op":"test","path":"/metadata/labels/app","value":"web"}]""", V1Patch.PatchType.JsonPatch);
        var (error, _) = await ExpectApiErrorAsync(() => Client.CoreV1.PatchNamespacedPodAsync(failing, "web-0", "default"));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, error.Response.StatusCode);
    }

    [Fact]
    public async Task StrategicMergePatch_MergesContainersByName_AndFinalizersAsASet()
    {
        var pod = Pod("web-0");
        pod.Metadata.Finalizers = ["example.com/a"];
        await Client.CoreV1.CreateNamespacedPodAsync(pod, "default");

        var patch = new V1Patch("""
            {"metadata":{"finalizers":["example.com/b"]},
             "spec":{"containers":[{"name":"app","image":"registry.example/app:2.0"},{"name":"log","image":"log:1"}]}}
            """, V1Patch.PatchType.StrategicMergePatch);
        var patched = await Client.CoreV1.PatchNamespacedPodAsync(patch, "web-0", "default");

        Assert.Equal(["example.com/a", "example.com/b"], patched.Metadata.Finalizers.ToArray());
        Assert.Equal(["app", "log"], patched.Spec.Containers.Select(c => c.Name).ToArray());
        Assert.Equal("registry.example/app:2.0", patched.Spec.Containers[0].Image);
    }

    [Fact]
    public async Task StatusPatch_ChangesOnlyStatus()
    {
        await Client.CoreV1.CreateNamespacedPodAsync(Pod("web-0"), "default");

        var patch = new V1Patch("""{"status":{"phase":"Running"},"metadata":{"labels":{"ignored":"yes"}}}""", V1Patch.PatchType.MergePatch);
        var patched = await Client.CoreV1.PatchNamespacedPodStatusAsync(patch, "web-0", "default");

        Assert.Equal("Running", patched.Status.Phase);
        Assert.Null(patched.Metadata.Labels);
    }

    [Fact]
    public async Task Patch_OfMissingObject_Answers404()
    {
        var patch = new V1Patch("""{"metadata":{"labels":{"a":"b"}}}""", V1Patch.PatchType.MergePatch);

        var (error, _) = await ExpectApiErrorAsync(() => Client.CoreV1.PatchNamespacedSecretAsync(patch, "ghost", "default"));

        Assert.Equal(HttpStatusCode.NotFound, error.Response.StatusCode);
    }

    [Fact]
    public async Task ApplyPatch_CreatesThenMerges()
    {
        var cm = new V1ConfigMap { ApiVersion = "v1", Kind = "ConfigMap", Metadata = new V1ObjectMeta { Name = "cfg", NamespaceProperty = "default" }, Data = new Dictionary<string, string> { ["a"] = "1" } };
        var apply = new V1Patch(KubernetesJson.Serialize(cm), V1Patch.PatchType.ApplyPatch);

        var created = await Client.CoreV1.PatchNamespacedConfigMapAsync(apply, "cfg", "default", fieldManager: "test");
        cm.Data["b"] = "2";
        var merged = await Client.CoreV1.PatchNamespacedConfigMapAsync(new V1Patch(KubernetesJson.Serialize(cm), V1Patch.PatchType.ApplyPatch), "cfg", "default", fieldManager: "test");

        Assert.Equal("1", created.Data["a"]);
        Assert.Equal("2", merged.Data["b"]);
    }
}
