using System.Text.Json.Nodes;
using Csi.Testing;
using Grpc.Core;
using SecretsStore.Driver.Tests.Kubernetes;

namespace SecretsStore.Driver.Tests.Functional;

/// <summary>
/// The real driver in Kubernetes mode against the API sandbox (chart CRDs registered): SecretProviderClasses
/// come from the API, SecretProviderClassPodStatus objects are written there.
/// </summary>
public sealed class KubernetesModeTests : IAsyncLifetime
{
    private const string PodUid = "0b6c1c2e-1111-4222-8333-444455556666";
    private const string StatusName = "web-default-spc";
    private const string Resource = "secretproviderclasspodstatuses";

    private SandboxCluster _cluster = null!;
    private DriverHarness _h = null!;

    public async Task InitializeAsync()
    {
        _cluster = await SandboxCluster.StartAsync();
        _cluster.SeedPod("web", PodUid);
        _h = await DriverHarness.StartWithKubernetesAsync(_cluster.KubeconfigPath, "--enable-secret-rotation", "--rotation-poll-interval=1ms");
        _h.ServeFiles(("username", "admin"), ("password", "p1"));
    }

    public async Task DisposeAsync()
    {
        await _h.DisposeAsync();
        await _cluster.DisposeAsync();
    }

    private static global::Csi.V1.NodePublishVolumeRequest Request(string target, string spc = "spc", string ns = "default") => DriverHarness.PublishRequest(target, spc, ns, podUid: PodUid);

    [Fact]
    public async Task Publish_CreatesThePodStatus_WithUpstreamsNameLabelOwnerAndVersions()
    {
        _cluster.SeedClass("spc", provider: DriverHarness.ProviderName);
        var target = _h.NewTarget();

        await _h.PublishAsync(Request(target));

        Assert.Equal("admin", File.ReadAllText(Path.Combine(target, "username")));
        var status = _cluster.PodStatus(StatusName)!;
        Assert.NotNull(status);
        Assert.Equal("node-1", (string?)status["metadata"]!["labels"]!["internal.secrets-store.csi.k8s.io/node-name"]);
        var owner = Assert.Single(status["metadata"]!["ownerReferences"]!.AsArray())!;
        Assert.Equal(("v1", "Pod", "web", PodUid), ((string?)owner["apiVersion"], (string?)owner["kind"], (string?)owner["name"], (string?)owner["uid"]));
        Assert.Null(owner["controller"]);
        Assert.Equal(("web", "spc", true, target), ((string?)status["status"]!["podName"], (string?)status["status"]!["secretProviderClassName"], (bool?)status["status"]!["mounted"], (string?)status["status"]!["targetPath"]));
        Assert.Equal("""[{"id":"secret/password","version":"v-p1"},{"id":"secret/username","version":"v-admin"}]""", status["status"]!["objects"]!.ToJsonString());
    }

    [Fact]
    public async Task Unpublish_DeletesThePodStatus()
    {
        _cluster.SeedClass("spc", provider: DriverHarness.ProviderName);
        var target = _h.NewTarget();
        await _h.PublishAsync(Request(target));

        await _h.UnpublishAsync(target);

        Assert.Null(_cluster.PodStatus(StatusName));
        Assert.Null(MountTable.FileSystemAt(target));
    }

    [Fact]
    public async Task Republish_WithRotatedSecrets_UpdatesTheVersions()
    {
        _cluster.SeedClass("spc", provider: DriverHarness.ProviderName);
        var target = _h.NewTarget();
        await _h.PublishAsync(Request(target));

        _h.ServeFiles(("username", "admin"), ("password", "p2"));
        await Task.Delay(5);
        await _h.PublishAsync(Request(target));

        Assert.Equal("p2", File.ReadAllText(Path.Combine(target, "password")));
        var objects = _cluster.PodStatus(StatusName)!["status"]!["objects"]!;
        Assert.Equal("""[{"id":"secret/password","version":"v-p2"},{"id":"secret/username","version":"v-admin"}]""", objects.ToJsonString());
        Assert.Equal(1, _cluster.Sandbox.CountRequests(verb: "update", resource: Resource));
    }

    [Fact]
    public async Task Publish_WithAPodStatusLeftByAnotherNode_TakesItOver()
    {
        _cluster.SeedClass("spc", provider: DriverHarness.ProviderName);
        _cluster.Sandbox.Seed(new JsonObject
        {
            ["apiVersion"] = "secrets-store.csi.x-k8s.io/v1",
            ["kind"] = "SecretProviderClassPodStatus",
            ["metadata"] = new JsonObject
            {
                ["name"] = StatusName,
                ["namespace"] = "default",
                ["labels"] = new JsonObject { ["internal.secrets-store.csi.k8s.io/node-name"] = "node-old" },
                ["ownerReferences"] = new JsonArray(new JsonObject { ["apiVersion"] = "v1", ["kind"] = "Pod", ["name"] = "web", ["uid"] = PodUid }),
            },
            ["status"] = new JsonObject { ["podName"] = "web", ["targetPath"] = "/old/node/path", ["mounted"] = true },
        });
        var target = _h.NewTarget();

        await _h.PublishAsync(Request(target));

        var status = _cluster.PodStatus(StatusName)!;
        Assert.Equal("node-1", (string?)status["metadata"]!["labels"]!["internal.secrets-store.csi.k8s.io/node-name"]);
        Assert.Equal(target, (string?)status["status"]!["targetPath"]);
        Assert.Equal(2, status["status"]!["objects"]!.AsArray().Count);
        Assert.Equal(1, _cluster.PodStatusCount());
    }

    [Fact]
    public async Task Publish_BeforeTheClassExists_IsNotFound_AndTheRetryAfterItIsCreatedMounts()
    {
        const string appsPodUid = "7d1e2f30-aaaa-4bbb-8ccc-ddddeeeeffff";
        _cluster.SeedPod("web", appsPodUid, "apps");
        var target = _h.NewTarget();

        var error = await _h.PublishFailsAsync(DriverHarness.PublishRequest(target, "late", "apps", podUid: appsPodUid));

        Assert.Equal(StatusCode.NotFound, error.StatusCode);
        Assert.Contains("SecretProviderClass late not found in namespace apps", error.Status.Detail, StringComparison.Ordinal);
        Assert.Null(MountTable.FileSystemAt(target));

        _cluster.SeedClass("late", ns: "apps", provider: DriverHarness.ProviderName);
        await _h.PublishAsync(DriverHarness.PublishRequest(target, "late", "apps", podUid: appsPodUid));

        Assert.Equal("tmpfs", MountTable.FileSystemAt(target));
        Assert.NotNull(_cluster.PodStatus("web-apps-late", "apps"));
    }

    [Fact]
    public async Task Publish_WhenTheApiFailsReadingTheClass_IsUnavailable_AndLeavesNothingMounted()
    {
        _cluster.SeedClass("spc", provider: DriverHarness.ProviderName);
        _cluster.Sandbox.FailNextRequests(1, 500, verb: "get", resource: "secretproviderclasses");
        var target = _h.NewTarget();

        var error = await _h.PublishFailsAsync(Request(target));

        Assert.Equal(StatusCode.Unavailable, error.StatusCode);
        Assert.StartsWith("could not read SecretProviderClass spc in namespace default from the Kubernetes API:", error.Status.Detail, StringComparison.Ordinal);
        Assert.Contains("500 InternalError", error.Status.Detail, StringComparison.Ordinal);
        Assert.DoesNotContain(_cluster.Sandbox.Token, error.Status.Detail, StringComparison.Ordinal);
        Assert.Null(MountTable.FileSystemAt(target));
        Assert.False(Directory.Exists(target));
        Assert.Empty(_h.ProviderService.Requests);
    }

    [Fact]
    public async Task Publish_WhenThePodStatusCannotBeWritten_IsUnavailable_AndLeavesNothingMounted()
    {
        _cluster.SeedClass("spc", provider: DriverHarness.ProviderName);
        _cluster.Sandbox.FailNextRequests(1, 403, verb: "create", resource: Resource);
        var target = _h.NewTarget();

        var error = await _h.PublishFailsAsync(Request(target));

        Assert.Equal(StatusCode.Unavailable, error.StatusCode);
        Assert.Contains("could not record SecretProviderClassPodStatus default/web-default-spc", error.Status.Detail, StringComparison.Ordinal);
        Assert.Contains("403 Forbidden", error.Status.Detail, StringComparison.Ordinal);
        Assert.Null(MountTable.FileSystemAt(target));
        Assert.Equal(0, _cluster.PodStatusCount());

        await _h.PublishAsync(Request(target));
        Assert.NotNull(_cluster.PodStatus(StatusName));
    }

    [Fact]
    public async Task Republish_ManyTimes_CostsABoundedNumberOfApiRequests()
    {
        _cluster.SeedClass("spc", provider: DriverHarness.ProviderName);
        var target = _h.NewTarget();
        await _h.PublishAsync(Request(target));
        var afterFirst = _cluster.Sandbox.CountRequests();

        for (var i = 0; i < 20; i++)
        {
            await Task.Delay(2);
            await _h.PublishAsync(Request(target));
        }

        // First publish: one class read, one status create. Twenty rotations that change nothing: none.
        Assert.Equal(2, afterFirst);
        Assert.Equal(afterFirst, _cluster.Sandbox.CountRequests());
        Assert.Equal(21, _h.ProviderService.Requests.Count);
    }

    [Fact]
    public async Task ClassesOfOtherNamespaces_AreNeverRead()
    {
        _cluster.SeedClass("spc", provider: DriverHarness.ProviderName);
        for (var i = 0; i < 10; i++)
        {
            _cluster.SeedClass("spc", ns: "team-" + i, provider: DriverHarness.ProviderName);
        }
        var target = _h.NewTarget();

        await _h.PublishAsync(Request(target));

        Assert.Equal(1, _cluster.Sandbox.CountRequests(resource: "secretproviderclasses"));
        Assert.Equal(0, _cluster.Sandbox.CountRequests(verb: "list"));
    }
}
