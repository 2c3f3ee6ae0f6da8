using k8s;
using k8s.Models;

namespace Csi.Sandboxes.Kubernetes.Tests;

/// <summary>VolumeAttachments and the apps/v1 workloads are stored and served (no controllers run for them).</summary>
public sealed class AttachmentAndWorkloadTests : SandboxTestBase
{
    private static V1VolumeAttachment Attachment(string name, string pv) => new()
    {
        Metadata = new V1ObjectMeta { Name = name },
        Spec = new V1VolumeAttachmentSpec { Attacher = "local.csi.example.com", NodeName = "node-a", Source = new V1VolumeAttachmentSource { PersistentVolumeName = pv } },
    };

    private static V1PodTemplateSpec Template(string app) => new()
    {
        Metadata = new V1ObjectMeta { Labels = new Dictionary<string, string> { ["app"] = app } },
        Spec = new V1PodSpec { Containers = [new V1Container { Name = "app", Image = "app:1", Resources = new V1ResourceRequirements { Requests = new Dictionary<string, ResourceQuantity> { ["memory"] = new("1024Mi") } } }] },
    };

    [Fact]
    public async Task VolumeAttachment_IsCreatedWithEmptyStatus_HasAStatusSubresource_AndAnImmutableSpec()
    {
        var created = await Client.StorageV1.CreateVolumeAttachmentAsync(Attachment("csi-1", "pv-1"));
        var attached = await Client.StorageV1.PatchVolumeAttachmentStatusAsync(
            new V1Patch("""{"status":{"attached":true,"attachmentMetadata":{"devicePath":"/dev/sdb"}}}""", V1Patch.PatchType.MergePatch), "csi-1");
        var (moveStatus, move) = await SendAsync(HttpMethod.Patch, "/apis/storage.k8s.io/v1/volumeattachments/csi-1",
            """{"spec":{"nodeName":"node-b"}}""", "application/merge-patch+json");
        var (badStatus, bad) = await SendAsync(HttpMethod.Post, "/apis/storage.k8s.io/v1/volumeattachments",
            """{"metadata":{"name":"csi-2"},"spec":{"attacher":"local.csi.example.com","nodeName":"node-a","source":{}}}""");
        var byPv = (await Client.StorageV1.ListVolumeAttachmentAsync()).Items.Where(a => a.Spec.Source.PersistentVolumeName == "pv-1").ToList();

        Assert.False(created.Status.Attached);
        Assert.True(attached.Status.Attached);
        Assert.Equal("/dev/sdb", attached.Status.AttachmentMetadata["devicePath"]);
        Assert.Equal((422, 422), (moveStatus, badStatus));
        Assert.EndsWith(": field is immutable", move["details"]!["causes"]![0]!["message"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal("spec.source: Required value: must specify exactly one of inlineVolumeSpec and persistentVolumeName", bad["details"]!["causes"]![0]!["field"] + ": " + bad["details"]!["causes"]![0]!["message"]);
        Assert.Equal("node-a", Assert.Single(byPv).Spec.NodeName);
    }

    [Fact]
    public async Task Workloads_AreServed_WithDefaultsGenerationAndStatus()
    {
        var deployment = await Client.AppsV1.CreateNamespacedDeploymentAsync(new V1Deployment
        {
            Metadata = new V1ObjectMeta { Name = "web" },
            Spec = new V1DeploymentSpec { Selector = new V1LabelSelector { MatchLabels = new Dictionary<string, string> { ["app"] = "web" } }, Template = Template("web") },
            Status = new V1DeploymentStatus { Replicas = 5 },
        }, "default");
        var statefulSet = await Client.AppsV1.CreateNamespacedStatefulSetAsync(new V1StatefulSet
        {
            Metadata = new V1ObjectMeta { Name = "db" },
            Spec = new V1StatefulSetSpec { Selector = new V1LabelSelector { MatchLabels = new Dictionary<string, string> { ["app"] = "db" } }, Template = Template("db"), ServiceName = "db" },
        }, "default");
        var daemonSet = await Client.AppsV1.CreateNamespacedDaemonSetAsync(new V1DaemonSet
        {
            Metadata = new V1ObjectMeta { Name = "csi-node" },
            Spec = new V1DaemonSetSpec { Selector = new V1LabelSelector { MatchLabels = new Dictionary<string, string> { ["app"] = "csi-node" } }, Template = Template("csi-node") },
        }, "kube-system");
        var scaled = await Client.AppsV1.PatchNamespacedDeploymentAsync(new V1Patch("""{"spec":{"replicas":3}}""", V1Patch.PatchType.MergePatch), "web", "default");
        var status = await Client.AppsV1.PatchNamespacedDeploymentStatusAsync(new V1Patch("""{"status":{"readyReplicas":3}}""", V1Patch.PatchType.MergePatch), "web", "default");

        Assert.Null(deployment.Status.Replicas);
        Assert.Equal(1, deployment.Spec.Replicas);
        Assert.Equal("RollingUpdate", deployment.Spec.Strategy.Type);
        Assert.Equal("1Gi", deployment.Spec.Template.Spec.Containers[0].Resources.Requests["memory"].ToString());
        Assert.Equal("OrderedReady", statefulSet.Spec.PodManagementPolicy);
        Assert.Equal(10, daemonSet.Spec.RevisionHistoryLimit);
        Assert.Equal((1L, 2L), (deployment.Metadata.Generation!.Value, scaled.Metadata.Generation!.Value));
        Assert.Equal(3, status.Status.ReadyReplicas);
        Assert.Equal(3, status.Spec.Replicas);
        Assert.Empty((await Client.AppsV1.ListNamespacedReplicaSetAsync("default")).Items);
    }

    [Fact]
    public async Task OwnerReferenceChainThroughWorkloads_IsCollected_WhenTheDeploymentGoes()
    {
        var deployment = await Client.AppsV1.CreateNamespacedDeploymentAsync(new V1Deployment
        {
            Metadata = new V1ObjectMeta { Name = "web" },
            Spec = new V1DeploymentSpec { Selector = new V1LabelSelector { MatchLabels = new Dictionary<string, string> { ["app"] = "web" } }, Template = Template("web") },
        }, "default");
        var replicaSet = await Client.AppsV1.CreateNamespacedReplicaSetAsync(new V1ReplicaSet
        {
            Metadata = new V1ObjectMeta { Name = "web-5d9c", OwnerReferences = [new V1OwnerReference { ApiVersion = "apps/v1", Kind = "Deployment", Name = "web", Uid = deployment.Metadata.Uid, Controller = true }] },
            Spec = new V1ReplicaSetSpec { Selector = new V1LabelSelector { MatchLabels = new Dictionary<string, string> { ["app"] = "web" } }, Template = Template("web") },
        }, "default");
        var pod = Pod("web-5d9c-x1");
        pod.Metadata.OwnerReferences = [new V1OwnerReference { ApiVersion = "apps/v1", Kind = "ReplicaSet", Name = replicaSet.Metadata.Name, Uid = replicaSet.Metadata.Uid, Controller = true }];
        await Client.CoreV1.CreateNamespacedPodAsync(pod, "default");

        await Client.AppsV1.DeleteNamespacedDeploymentAsync("web", "default");
        await Sandbox.WaitForGarbageCollectionAsync();

        Assert.Null(Sandbox.Get<V1ReplicaSet>("web-5d9c", "default"));
        Assert.Null(Sandbox.Get<V1Pod>("web-5d9c-x1", "default"));
    }

    [Fact]
    public async Task Discovery_ListsVolumeAttachmentsAndTheAppsGroup()
    {
        var storage = await Client.StorageV1.GetAPIResourcesAsync();
        var (appsStatus, apps) = await SendAsync(HttpMethod.Get, "/apis/apps/v1");

        Assert.Contains(storage.Resources, r => r.Name == "volumeattachments" && r.Kind == "VolumeAttachment" && !r.Namespaced);
        Assert.Contains(storage.Resources, r => r.Name == "volumeattachments/status");
        Assert.Equal(200, appsStatus);
        var names = apps["resources"]!.AsArray().Select(r => r!["name"]!.GetValue<string>()).ToHashSet();
        Assert.Superset(new HashSet<string> { "deployments", "deployments/status", "replicasets", "statefulsets", "daemonsets" }, names);
    }
}
