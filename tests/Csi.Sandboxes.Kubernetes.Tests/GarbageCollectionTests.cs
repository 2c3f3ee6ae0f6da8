using System.Net;
using k8s;
using k8s.Models;

namespace Csi.Sandboxes.Kubernetes.Tests;

public sealed class GarbageCollectionTests : SandboxTestBase
{
    private static V1OwnerReference OwnerRef(V1Pod pod, bool block = false) => new()
    {
        ApiVersion = "v1",
        Kind = "Pod",
        Name = pod.Metadata.Name,
        Uid = pod.Metadata.Uid,
        BlockOwnerDeletion = block ? true : null,
    };

    private async Task<V1Secret> OwnedSecretAsync(string name, params V1OwnerReference[] owners)
    {
        var secret = Secret(name);
        secret.Metadata.OwnerReferences = owners;
        return await Client.CoreV1.CreateNamespacedSecretAsync(secret, "default");
    }

    [Fact]
    public async Task DeletingTheOwner_DeletesItsDependents_InTheBackground()
    {
        var pod = await Client.CoreV1.CreateNamespacedPodAsync(Pod("web-0"), "default");
        await OwnedSecretAsync("web-0-db", OwnerRef(pod));

        await Client.CoreV1.DeleteNamespacedPodAsync("web-0", "default");
        await Sandbox.WaitForGarbageCollectionAsync();

        var (error, _) = await ExpectApiErrorAsync(() => Client.CoreV1.ReadNamespacedSecretAsync("web-0-db", "default"));
        Assert.Equal(HttpStatusCode.NotFound, error.Response.StatusCode);
    }

    [Fact]
    public async Task ADependentWithAnotherLiveOwner_Survives_AndLosesTheDeadReference()
    {
        var a = await Client.CoreV1.CreateNamespacedPodAsync(Pod("a"), "default");
        var b = await Client.CoreV1.CreateNamespacedPodAsync(Pod("b"), "default");
        await OwnedSecretAsync("shared", OwnerRef(a), OwnerRef(b));

        await Client.CoreV1.DeleteNamespacedPodAsync("a", "default");
        await Sandbox.WaitForGarbageCollectionAsync();

        var secret = await Client.CoreV1.ReadNamespacedSecretAsync("shared", "default");
        Assert.Equal(["b"], secret.Metadata.OwnerReferences.Select(o => o.Name).ToArray());

        await Client.CoreV1.DeleteNamespacedPodAsync("b", "default");
        await Sandbox.WaitForGarbageCollectionAsync();
        Assert.Null(Sandbox.Get<V1Secret>("shared", "default"));
    }

    [Fact]
    public async Task OrphanPropagation_KeepsDependents_AndStripsTheirReference()
    {
        var pod = await Client.CoreV1.CreateNamespacedPodAsync(Pod("web-0"), "default");
        await OwnedSecretAsync("kept", OwnerRef(pod));

        await Client.CoreV1.DeleteNamespacedPodAsync("web-0", "default", propagationPolicy: "Orphan");
        await Sandbox.WaitForGarbageCollectionAsync();

        var secret = await Client.CoreV1.ReadNamespacedSecretAsync("kept", "default");
        Assert.Null(secret.Metadata.OwnerReferences);
        Assert.Null(Sandbox.Get<V1Pod>("web-0", "default"));
    }

    [Fact]
    public async Task ForegroundPropagation_KeepsTheOwnerUntilBlockingDependentsAreGone()
    {
        var pod = await Client.CoreV1.CreateNamespacedPodAsync(Pod("web-0"), "default");
        var guarded = Secret("guarded");
        guarded.Metadata.OwnerReferences = [OwnerRef(pod, block: true)];
        guarded.Metadata.Finalizers = ["example.com/hold"];
        await Client.CoreV1.CreateNamespacedSecretAsync(guarded, "default");

        var deleted = await Client.CoreV1.DeleteNamespacedPodAsync("web-0", "default", propagationPolicy: "Foreground");
        Assert.Contains("foregroundDeletion", deleted.Metadata.Finalizers);
        await Sandbox.WaitForGarbageCollectionAsync();

        var owner = await Client.CoreV1.ReadNamespacedPodAsync("web-0", "default");
        Assert.NotNull(owner.Metadata.DeletionTimestamp);
        Assert.NotNull((await Client.CoreV1.ReadNamespacedSecretAsync("guarded", "default")).Metadata.DeletionTimestamp);

        await Client.CoreV1.PatchNamespacedSecretAsync(new V1Patch("""{"metadata":{"finalizers":null}}""", V1Patch.PatchType.MergePatch), "guarded", "default");
        await Sandbox.WaitForGarbageCollectionAsync();

        Assert.Null(Sandbox.Get<V1Secret>("guarded", "default"));
        Assert.Null(Sandbox.Get<V1Pod>("web-0", "default"));
    }

    [Fact]
    public async Task ADependentCreatedWithAnAbsentOwner_IsCollected_ButUnknownOwnerKindsAreLeftAlone()
    {
        await OwnedSecretAsync("dangling", new V1OwnerReference { ApiVersion = "v1", Kind = "Pod", Name = "never", Uid = Guid.NewGuid().ToString() });
        await OwnedSecretAsync("from-job", new V1OwnerReference { ApiVersion = "batch/v1", Kind = "Job", Name = "backup-7d4", Uid = Guid.NewGuid().ToString() });
        await OwnedSecretAsync("from-replicaset", new V1OwnerReference { ApiVersion = "apps/v1", Kind = "ReplicaSet", Name = "web-7d4", Uid = Guid.NewGuid().ToString() });

        await Sandbox.WaitForGarbageCollectionAsync();

        Assert.Null(Sandbox.Get<V1Secret>("dangling", "default"));
        Assert.Null(Sandbox.Get<V1Secret>("from-replicaset", "default"));
        Assert.NotNull(Sandbox.Get<V1Secret>("from-job", "default"));
    }

    [Fact]
    public async Task CustomObjectsOwnedByPods_AreCollected_LikeTheDriversPodStatuses()
    {
        Sandbox.RegisterCustomResourceDefinition(Manifests.Widget);
        var pod = await Client.CoreV1.CreateNamespacedPodAsync(Pod("web-0"), "default");
        var widget = new System.Text.Json.Nodes.JsonObject
        {
            ["apiVersion"] = "example.com/v1",
            ["kind"] = "Widget",
            ["metadata"] = new System.Text.Json.Nodes.JsonObject
            {
                ["name"] = "web-0-widget",
                ["ownerReferences"] = new System.Text.Json.Nodes.JsonArray(new System.Text.Json.Nodes.JsonObject
                {
                    ["apiVersion"] = "v1",
                    ["kind"] = "Pod",
                    ["name"] = "web-0",
                    ["uid"] = pod.Metadata.Uid,
                }),
            },
            ["spec"] = new System.Text.Json.Nodes.JsonObject { ["color"] = "red", ["size"] = 1 },
        };
        await Client.CustomObjects.CreateNamespacedCustomObjectAsync(widget, "example.com", "v1", "default", "widgets");

        await Client.CoreV1.DeleteNamespacedPodAsync("web-0", "default");
        await Sandbox.WaitForGarbageCollectionAsync();

        Assert.Null(Sandbox.Get("example.com/v1", "Widget", "web-0-widget", "default"));
    }
}
