using System.Text.Json.Nodes;
using Csi.Kubernetes;
using Microsoft.Extensions.Logging.Abstractions;
using SecretsStore.Driver.PodStatuses;
using SecretsStore.Driver.Publishing;

namespace SecretsStore.Driver.Tests.Kubernetes;

/// <summary>The SecretProviderClassPodStatus recorder's decisions, observed as requests and objects in the API sandbox.</summary>
public sealed class KubernetesPodStatusRecorderTests : IAsyncLifetime
{
    private const string Resource = "secretproviderclasspodstatuses";
    private const string Target = "/var/lib/kubelet/pods/pod-uid/volumes/kubernetes.io~csi/secrets/mount";

    private SandboxCluster _cluster = null!;
    private KubernetesApiClient _api = null!;
    private KubernetesPodStatusRecorder _recorder = null!;

    public async Task InitializeAsync()
    {
        _cluster = await SandboxCluster.StartAsync();
        _cluster.SeedPod("web-0", "pod-uid", "apps");
        _api = _cluster.NewClient();
        _recorder = NewRecorder("node-1");
    }

    public async Task DisposeAsync()
    {
        _api.Dispose();
        await _cluster.DisposeAsync();
    }

    [Fact]
    public async Task Record_First_CreatesTheObject()
    {
        await _recorder.RecordAsync(Record("v1"), default);

        var stored = _cluster.PodStatus("web-0-apps-db", "apps")!;
        Assert.Equal("node-1", (string?)stored["metadata"]!["labels"]!["internal.secrets-store.csi.k8s.io/node-name"]);
        Assert.Equal("v1", (string?)stored["status"]!["objects"]![0]!["version"]);
        Assert.Equal(1, _cluster.Sandbox.CountRequests(resource: Resource));
    }

    [Fact]
    public async Task Record_Unchanged_MakesNoCall()
    {
        await _recorder.RecordAsync(Record("v1"), default);

        await _recorder.RecordAsync(Record("v1"), default);
        await _recorder.RecordAsync(Record("v1"), default);

        Assert.Equal(1, _cluster.Sandbox.CountRequests(resource: Resource));
    }

    [Fact]
    public async Task Record_NewVersion_UpdatesWithOneCall()
    {
        await _recorder.RecordAsync(Record("v1"), default);

        await _recorder.RecordAsync(Record("v2"), default);

        Assert.Equal("v2", (string?)_cluster.PodStatus("web-0-apps-db", "apps")!["status"]!["objects"]![0]!["version"]);
        Assert.Equal(1, _cluster.Sandbox.CountRequests(verb: "update", resource: Resource));
        Assert.Equal(0, _cluster.Sandbox.CountRequests(verb: "get", resource: Resource));
    }

    [Fact]
    public async Task Record_WhenSomeoneElseChangedIt_RetriesTheConflictWithAFreshRead()
    {
        await _recorder.RecordAsync(Record("v1"), default);
        var changed = _cluster.PodStatus("web-0-apps-db", "apps")!;
        changed["metadata"]!["annotations"] = new JsonObject { ["note"] = "by someone else" };
        _cluster.Sandbox.Seed(changed);

        await _recorder.RecordAsync(Record("v2"), default);

        var stored = _cluster.PodStatus("web-0-apps-db", "apps")!;
        Assert.Equal("v2", (string?)stored["status"]!["objects"]![0]!["version"]);
        Assert.Equal("by someone else", (string?)stored["metadata"]!["annotations"]!["note"]);
        Assert.Equal(1, _cluster.Sandbox.CountRequests(verb: "update", resource: Resource, statusCode: 409));
        Assert.Equal(1, _cluster.Sandbox.CountRequests(verb: "get", resource: Resource));
    }

    [Fact]
    public async Task Record_ExistingFromAnotherNode_IsTakenOver()
    {
        _cluster.Sandbox.GarbageCollectorEnabled = false; // the old pod uid has no pod object
        await NewRecorder("node-old").RecordAsync(Record("v0") with { NodeId = "node-old", PodUid = "old-uid" }, default);

        await _recorder.RecordAsync(Record("v1"), default);

        var stored = _cluster.PodStatus("web-0-apps-db", "apps")!;
        Assert.Equal("node-1", (string?)stored["metadata"]!["labels"]!["internal.secrets-store.csi.k8s.io/node-name"]);
        Assert.Equal("pod-uid", (string?)stored["metadata"]!["ownerReferences"]![0]!["uid"]);
        Assert.Equal("v1", (string?)stored["status"]!["objects"]![0]!["version"]);
        Assert.Equal(1, _cluster.Sandbox.CountRequests(verb: "create", resource: Resource, statusCode: 409));
    }

    [Fact]
    public async Task Record_ApiFailure_IsAKubernetesApiError()
    {
        _cluster.Sandbox.FailNextRequests(1, 403, verb: "create", resource: Resource);

        var error = await Assert.ThrowsAsync<SecretsStoreException>(() => _recorder.RecordAsync(Record("v1"), default));

        Assert.Equal(ErrorReason.KubernetesApiError, error.Reason);
        Assert.Contains("SecretProviderClassPodStatus apps/web-0-apps-db", error.Message, StringComparison.Ordinal);
        Assert.Contains("403 Forbidden", error.Message, StringComparison.Ordinal);
        Assert.Contains("RBAC", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Remove_DeletesTheObject()
    {
        await _recorder.RecordAsync(Record("v1"), default);

        await _recorder.RemoveAsync(Target, default);

        Assert.Null(_cluster.PodStatus("web-0-apps-db", "apps"));
    }

    [Fact]
    public async Task Remove_AfterARestart_FindsTheObjectByNodeAndTargetPath()
    {
        await _recorder.RecordAsync(Record("v1"), default);
        await _recorder.RecordAsync(Record("v1") with { PodName = "web-1", TargetPath = "/other/mount" }, default);

        await NewRecorder("node-1").RemoveAsync(Target, default);

        Assert.Null(_cluster.PodStatus("web-0-apps-db", "apps"));
        Assert.NotNull(_cluster.PodStatus("web-1-apps-db", "apps"));
        Assert.Equal(1, _cluster.Sandbox.CountRequests(verb: "list", resource: Resource));
    }

    [Fact]
    public async Task Remove_ApiFailure_DoesNotFailTheUnpublish()
    {
        await _recorder.RecordAsync(Record("v1"), default);
        _cluster.Sandbox.FailNextRequests(1, 500, verb: "delete", resource: Resource);

        await _recorder.RemoveAsync(Target, default);

        Assert.NotNull(_cluster.PodStatus("web-0-apps-db", "apps"));
    }

    private KubernetesPodStatusRecorder NewRecorder(string node) => new(_api, node, NullLogger<KubernetesPodStatusRecorder>.Instance);

    private static PodStatusRecord Record(string version)
        => new("web-0", "apps", "pod-uid", "db", "node-1", Target, true, [new ObjectVersionRecord("secret/a", version)]);
}
