using System.Net;
using System.Text;
using k8s;
using k8s.Models;

namespace Csi.Sandboxes.Kubernetes.Tests;

public sealed class CrudTests : SandboxTestBase
{
    [Fact]
    public async Task CreatePod_ReturnsCreatedObjectWithServerFields_AndGetReadsItBack()
    {
        var created = await Client.CoreV1.CreateNamespacedPodAsync(Pod("web-0", "node-a"), "default");

        Assert.Equal("web-0", created.Metadata.Name);
        Assert.False(string.IsNullOrEmpty(created.Metadata.Uid));
        Assert.NotNull(created.Metadata.CreationTimestamp);
        Assert.True(ulong.Parse(created.Metadata.ResourceVersion) > 0);
        Assert.Equal("Pending", created.Status.Phase);
        Assert.Equal("Always", created.Spec.RestartPolicy);

        var read = await Client.CoreV1.ReadNamespacedPodAsync("web-0", "default");
        Assert.Equal(created.Metadata.Uid, read.Metadata.Uid);
        Assert.Equal("node-a", read.Spec.NodeName);
        Assert.Equal(created.Metadata.ResourceVersion, read.Metadata.ResourceVersion);
    }

    [Fact]
    public async Task Get_WhenObjectIsMissing_Answers404WithNotFoundStatus()
    {
        var (error, status) = await ExpectApiErrorAsync(() => Client.CoreV1.ReadNamespacedPodAsync("ghost", "default"));

        Assert.Equal(HttpStatusCode.NotFound, error.Response.StatusCode);
        Assert.Equal("NotFound", status["reason"]!.GetValue<string>());
        Assert.Equal("pods \"ghost\" not found", status["message"]!.GetValue<string>());
        Assert.Equal("ghost", status["details"]!["name"]!.GetValue<string>());
        Assert.Equal("pods", status["details"]!["kind"]!.GetValue<string>());
    }

    [Fact]
    public async Task Create_Twice_Answers409AlreadyExists()
    {
        await Client.CoreV1.CreateNamespacedSecretAsync(Secret("db"), "default");

        var (error, status) = await ExpectApiErrorAsync(() => Client.CoreV1.CreateNamespacedSecretAsync(Secret("db"), "default"));

        Assert.Equal(HttpStatusCode.Conflict, error.Response.StatusCode);
        Assert.Equal("AlreadyExists", status["reason"]!.GetValue<string>());
        Assert.Equal("secrets \"db\" already exists", status["message"]!.GetValue<string>());
    }

    [Fact]
    public async Task Update_WithStaleResourceVersion_Answers409Conflict_AndFreshUpdateSucceeds()
    {
        var created = await Client.CoreV1.CreateNamespacedSecretAsync(Secret("db"), "default");
        created.Metadata.Labels = new Dictionary<string, string> { ["rev"] = "1" };
        var first = await Client.CoreV1.ReplaceNamespacedSecretAsync(created, "db", "default");
        Assert.NotEqual(created.Metadata.ResourceVersion, first.Metadata.ResourceVersion);

        created.Metadata.Labels["rev"] = "2";
        var (error, status) = await ExpectApiErrorAsync(() => Client.CoreV1.ReplaceNamespacedSecretAsync(created, "db", "default"));
        Assert.Equal(HttpStatusCode.Conflict, error.Response.StatusCode);
        Assert.Equal("Conflict", status["reason"]!.GetValue<string>());
        Assert.Contains("the object has been modified", status["message"]!.GetValue<string>(), StringComparison.Ordinal);

        first.Metadata.Labels["rev"] = "2";
        var second = await Client.CoreV1.ReplaceNamespacedSecretAsync(first, "db", "default");
        Assert.Equal("2", second.Metadata.Labels["rev"]);
    }

    [Fact]
    public async Task Update_WithoutChanges_KeepsTheResourceVersion()
    {
        var created = await Client.CoreV1.CreateNamespacedConfigMapAsync(
            new V1ConfigMap { Metadata = new V1ObjectMeta { Name = "cfg" }, Data = new Dictionary<string, string> { ["a"] = "1" } }, "default");

        var replaced = await Client.CoreV1.ReplaceNamespacedConfigMapAsync(created, "cfg", "default");

        Assert.Equal(created.Metadata.ResourceVersion, replaced.Metadata.ResourceVersion);
    }

    [Fact]
    public async Task Secret_StringData_IsStoredAsBase64Data_WithDefaultType()
    {
        var created = await Client.CoreV1.CreateNamespacedSecretAsync(Secret("db"), "default");

        Assert.Null(created.StringData);
        Assert.Equal("Opaque", created.Type);
        Assert.Equal("s3cret", Encoding.UTF8.GetString(created.Data["password"]));
    }

    [Fact]
    public async Task Nodes_AreClusterScoped_CrudWorks()
    {
        var node = new V1Node { Metadata = new V1ObjectMeta { Name = "node-a", Labels = new Dictionary<string, string> { ["zone"] = "a" } } };
        await Client.CoreV1.CreateNodeAsync(node);

        var read = await Client.CoreV1.ReadNodeAsync("node-a");
        Assert.Null(read.Metadata.NamespaceProperty);
        read.Spec = new V1NodeSpec { Unschedulable = true };
        var updated = await Client.CoreV1.ReplaceNodeAsync(read, "node-a");
        Assert.True(updated.Spec.Unschedulable);

        var nodes = await Client.CoreV1.ListNodeAsync(fieldSelector: "spec.unschedulable=true");
        Assert.Single(nodes.Items);

        await Client.CoreV1.DeleteNodeAsync("node-a");
        var (error, _) = await ExpectApiErrorAsync(() => Client.CoreV1.ReadNodeAsync("node-a"));
        Assert.Equal(HttpStatusCode.NotFound, error.Response.StatusCode);
    }

    [Fact]
    public async Task DeletePod_ReturnsThePod_DeleteSecret_ReturnsSuccessStatus()
    {
        await Client.CoreV1.CreateNamespacedPodAsync(Pod("web-0"), "default");
        await Client.CoreV1.CreateNamespacedSecretAsync(Secret("db"), "default");

        var deletedPod = await Client.CoreV1.DeleteNamespacedPodAsync("web-0", "default");
        var deletedSecret = await Client.CoreV1.DeleteNamespacedSecretAsync("db", "default");

        Assert.Equal("web-0", deletedPod.Metadata.Name);
        Assert.Equal("Success", deletedSecret.Status);
        Assert.Equal("db", deletedSecret.Details.Name);
        Assert.Null(Sandbox.Get<V1Pod>("web-0", "default"));
    }

    [Fact]
    public async Task Delete_OfObjectWithFinalizer_OnlyMarksIt_UntilTheFinalizerIsRemoved()
    {
        var secret = Secret("guarded");
        secret.Metadata.Finalizers = ["example.com/keep"];
        await Client.CoreV1.CreateNamespacedSecretAsync(secret, "default");

        await Client.CoreV1.DeleteNamespacedSecretAsync("guarded", "default");
        var marked = await Client.CoreV1.ReadNamespacedSecretAsync("guarded", "default");
        Assert.NotNull(marked.Metadata.DeletionTimestamp);

        marked.Metadata.Finalizers = ["example.com/keep", "example.com/another"];
        var (forbidden, _) = await ExpectApiErrorAsync(() => Client.CoreV1.ReplaceNamespacedSecretAsync(marked, "guarded", "default"));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, forbidden.Response.StatusCode);

        var patch = new V1Patch("""{"metadata":{"finalizers":null}}""", V1Patch.PatchType.MergePatch);
        await Client.CoreV1.PatchNamespacedSecretAsync(patch, "guarded", "default");
        var (gone, _) = await ExpectApiErrorAsync(() => Client.CoreV1.ReadNamespacedSecretAsync("guarded", "default"));
        Assert.Equal(HttpStatusCode.NotFound, gone.Response.StatusCode);
    }

    [Fact]
    public async Task Create_WithGenerateName_GetsAUniqueName()
    {
        var pod = Pod(null!);
        pod.Metadata.Name = null;
        pod.Metadata.GenerateName = "job-";

        var a = await Client.CoreV1.CreateNamespacedPodAsync(pod, "default");
        var b = await Client.CoreV1.CreateNamespacedPodAsync(pod, "default");

        Assert.StartsWith("job-", a.Metadata.Name, StringComparison.Ordinal);
        Assert.Equal(9, a.Metadata.Name.Length);
        Assert.NotEqual(a.Metadata.Name, b.Metadata.Name);
    }

    [Fact]
    public async Task Create_WithInvalidName_Answers422Invalid()
    {
        var (error, status) = await ExpectApiErrorAsync(() => Client.CoreV1.CreateNamespacedPodAsync(Pod("Bad_Name"), "default"));

        Assert.Equal(HttpStatusCode.UnprocessableEntity, error.Response.StatusCode);
        Assert.Equal("Invalid", status["reason"]!.GetValue<string>());
        Assert.StartsWith("Pod \"Bad_Name\" is invalid: metadata.name: Invalid value: \"Bad_Name\"", status["message"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Create_InMissingNamespace_Answers404ForTheNamespace()
    {
        var (error, status) = await ExpectApiErrorAsync(() => Client.CoreV1.CreateNamespacedPodAsync(Pod("web-0", ns: "nowhere"), "nowhere"));

        Assert.Equal(HttpStatusCode.NotFound, error.Response.StatusCode);
        Assert.Equal("namespaces \"nowhere\" not found", status["message"]!.GetValue<string>());
    }

    [Fact]
    public async Task DeletingANamespace_RemovesItsContents_ThenTheNamespace()
    {
        await Client.CoreV1.CreateNamespaceAsync(new V1Namespace { Metadata = new V1ObjectMeta { Name = "team" } });
        await Client.CoreV1.CreateNamespacedPodAsync(Pod("web-0", ns: "team"), "team");
        await Client.CoreV1.CreateNamespacedSecretAsync(Secret("db", ns: "team"), "team");

        await Client.CoreV1.DeleteNamespaceAsync("team");
        await Sandbox.WaitForGarbageCollectionAsync();

        Assert.Empty((await Client.CoreV1.ListNamespacedPodAsync("team")).Items);
        Assert.Empty((await Client.CoreV1.ListNamespacedSecretAsync("team")).Items);
        var (error, _) = await ExpectApiErrorAsync(() => Client.CoreV1.ReadNamespaceAsync("team"));
        Assert.Equal(HttpStatusCode.NotFound, error.Response.StatusCode);
    }

    [Fact]
    public async Task StatusSubresource_UpdatesOnlyStatus_AndMainUpdateKeepsStatus()
    {
        await Client.CoreV1.CreateNamespacedPodAsync(Pod("web-0", "node-a"), "default");
        var pod = await Client.CoreV1.ReadNamespacedPodAsync("web-0", "default");

        pod.Status.Phase = "Running";
        pod.Spec.NodeName = "node-b";
        var afterStatus = await Client.CoreV1.ReplaceNamespacedPodStatusAsync(pod, "web-0", "default");
        Assert.Equal("Running", afterStatus.Status.Phase);
        Assert.Equal("node-a", afterStatus.Spec.NodeName);

        afterStatus.Status.Phase = "Failed";
        afterStatus.Metadata.Labels = new Dictionary<string, string> { ["a"] = "b" };
        var afterMain = await Client.CoreV1.ReplaceNamespacedPodAsync(afterStatus, "web-0", "default");
        Assert.Equal("Running", afterMain.Status.Phase);
        Assert.Equal("b", afterMain.Metadata.Labels["a"]);
    }

    [Fact]
    public async Task Leases_CsiDrivers_StorageClasses_Events_AreServed()
    {
        await Client.CoordinationV1.CreateNamespacedLeaseAsync(
            new V1Lease { Metadata = new V1ObjectMeta { Name = "leader" }, Spec = new V1LeaseSpec { HolderIdentity = "a" } }, "kube-system");
        var driver = await Client.StorageV1.CreateCSIDriverAsync(
            new V1CSIDriver { Metadata = new V1ObjectMeta { Name = "secrets-store.csi.k8s.io" }, Spec = new V1CSIDriverSpec { PodInfoOnMount = true } });
        var sc = await Client.StorageV1.CreateStorageClassAsync(new V1StorageClass { Metadata = new V1ObjectMeta { Name = "local" }, Provisioner = "example.com/local" });
        await Client.EventsV1.CreateNamespacedEventAsync(
            new Eventsv1Event
            {
                Metadata = new V1ObjectMeta { Name = "web-0.1" },
                Regarding = new V1ObjectReference { Kind = "Pod", Name = "web-0", NamespaceProperty = "default" },
                Reason = "FailedToCreateSecret",
                Note = "boom",
                Type = "Warning",
                EventTime = DateTime.UtcNow,
                ReportingController = "csi-secrets-store-controller",
                ReportingInstance = "node-a",
                Action = "Sync",
            },
            "default");

        Assert.Equal("a", (await Client.CoordinationV1.ReadNamespacedLeaseAsync("leader", "kube-system")).Spec.HolderIdentity);
        Assert.False(driver.Spec.AttachRequired is false);
        Assert.Equal("Delete", sc.ReclaimPolicy);
        var coreEvents = await Client.CoreV1.ListNamespacedEventAsync("default", fieldSelector: "involvedObject.name=web-0,reason=FailedToCreateSecret");
        var coreEvent = Assert.Single(coreEvents.Items);
        Assert.Equal("boom", coreEvent.Message);
        Assert.Equal("Pod", coreEvent.InvolvedObject.Kind);
        var newEvents = await Client.EventsV1.ListNamespacedEventAsync("default", fieldSelector: "regarding.name=web-0");
        Assert.Equal("boom", Assert.Single(newEvents.Items).Note);
    }

    [Fact]
    public async Task Discovery_ListsBuiltInGroupsAndResources()
    {
        var core = await Client.CoreV1.GetAPIResourcesAsync();
        Assert.Contains(core.Resources, r => r.Name == "pods" && r.Namespaced && r.Kind == "Pod");
        Assert.Contains(core.Resources, r => r.Name == "pods/status");
        Assert.Contains(core.Resources, r => r.Name == "nodes" && !r.Namespaced);

        var groups = await Client.Apis.GetAPIVersionsAsync();
        Assert.Contains(groups.Groups, g => g.Name == "storage.k8s.io");
        Assert.Contains(groups.Groups, g => g.Name == "coordination.k8s.io");

        var version = await Client.Version.GetCodeAsync();
        Assert.Equal("1", version.Major);
    }
}
