using Csi.Kubernetes;
using Microsoft.Extensions.Logging.Abstractions;
using SecretsStore.Driver.Events;

namespace SecretsStore.Driver.Tests.Kubernetes;

/// <summary>Events as client-go's recorder writes them, observed as objects and requests in the API sandbox.</summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1001:Types that own disposable fields should be disposable", Justification = "xUnit disposes it through IAsyncLifetime")]
public sealed class KubernetesPodEventRecorderTests : IAsyncLifetime
{
    private static readonly PodReference Pod = new("apps", "web-0", "pod-uid");

    private SandboxCluster _cluster = null!;
    private KubernetesApiClient _api = null!;
    private KubernetesPodEventRecorder _recorder = null!;

    public async Task InitializeAsync()
    {
        _cluster = await SandboxCluster.StartAsync();
        _cluster.SeedPod("web-0", "pod-uid", "apps");
        _api = _cluster.NewClient();
        _recorder = new KubernetesPodEventRecorder(_api, "node-1", NullLogger<KubernetesPodEventRecorder>.Instance, TimeProvider.System);
    }

    public async Task DisposeAsync()
    {
        await _recorder.DisposeAsync();
        _api.Dispose();
        await _cluster.DisposeAsync();
    }

    private static PodEvent Warning(string message = "failed to sync Secret db") => new(Pod, PodEvent.Warning, PodEvent.FailedToCreateSecret, message, PodEvent.SyncComponent);

    [Fact]
    public async Task Record_WritesACoreEvent_AboutThePod_WithSourceCountAndTimestamps()
    {
        await _recorder.RecordAsync(Warning(), default);

        var stored = Assert.Single(_cluster.Events("apps"));
        Assert.StartsWith("web-0.", (string?)stored["metadata"]!["name"], StringComparison.Ordinal);
        Assert.Equal(("v1", "Pod", "apps", "web-0", "pod-uid"), ((string?)stored["involvedObject"]!["apiVersion"], (string?)stored["involvedObject"]!["kind"], (string?)stored["involvedObject"]!["namespace"], (string?)stored["involvedObject"]!["name"], (string?)stored["involvedObject"]!["uid"]));
        Assert.Equal(("Warning", "FailedToCreateSecret", "failed to sync Secret db"), ((string?)stored["type"], (string?)stored["reason"], (string?)stored["message"]));
        Assert.Equal(("csi-secrets-store-controller", "node-1"), ((string?)stored["source"]!["component"], (string?)stored["source"]!["host"]));
        Assert.Equal(1, (int?)stored["count"]);
        Assert.Equal((string?)stored["firstTimestamp"], (string?)stored["lastTimestamp"]);
    }

    [Fact]
    public async Task Record_TheSameEventAgain_PatchesTheCount_AndADifferentOneIsANewObject()
    {
        await _recorder.RecordAsync(Warning(), default);
        await _recorder.RecordAsync(Warning(), default);
        await _recorder.RecordAsync(Warning("failed to sync Secret other"), default);

        Assert.Equal(2, _cluster.Events("apps").Count);
        Assert.Equal(2, (int?)_cluster.Events("apps").Single(e => (string?)e["message"] == "failed to sync Secret db")["count"]);
        Assert.Equal(1, _cluster.Sandbox.CountRequests(verb: "patch", resource: "events"));
    }

    [Fact]
    public async Task Record_WhenTheEarlierEventExpired_CreatesANewOne()
    {
        await _recorder.RecordAsync(Warning(), default);
        var name = (string)_cluster.Events("apps")[0]["metadata"]!["name"]!;
        _cluster.Sandbox.Delete("v1", "Event", name, "apps");

        await _recorder.RecordAsync(Warning(), default);

        Assert.Equal(1, (int?)Assert.Single(_cluster.Events("apps"))["count"]);
    }

    [Fact]
    public async Task Record_WhenTheApiRefuses_DoesNotThrow()
    {
        _cluster.Sandbox.FailNextRequests(1, 403, verb: "create", resource: "events");

        await _recorder.RecordAsync(Warning(), default);

        Assert.Empty(_cluster.Events("apps"));
    }

    [Fact]
    public async Task Record_ALongMessage_IsCutToTheApiServersLimit()
    {
        await _recorder.RecordAsync(Warning(new string('x', 5000)), default);

        Assert.Equal(KubernetesPodEventRecorder.MaxMessageLength, ((string)Assert.Single(_cluster.Events("apps"))["message"]!).Length);
    }
}
