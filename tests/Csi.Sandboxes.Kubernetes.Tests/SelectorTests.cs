using System.Net;
using k8s;
using k8s.Models;

namespace Csi.Sandboxes.Kubernetes.Tests;

public sealed class SelectorTests : SandboxTestBase
{
    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        await Client.CoreV1.CreateNamespaceAsync(new V1Namespace { Metadata = new V1ObjectMeta { Name = "other" } });
        Sandbox.SeedMany(new[]
        {
            Pod("a-1", "node-a", new Dictionary<string, string> { ["app"] = "web", ["tier"] = "front" }),
            Pod("a-2", "node-a", new Dictionary<string, string> { ["app"] = "db" }),
            Pod("b-1", "node-b", new Dictionary<string, string> { ["app"] = "web", ["tier"] = "back" }),
            Pod("u-1", null, new Dictionary<string, string> { ["app"] = "batch" }),
            Pod("o-1", "node-a", new Dictionary<string, string> { ["app"] = "web" }, ns: "other"),
        });
    }

    [Theory]
    [InlineData("app=web", new[] { "a-1", "b-1" })]
    [InlineData("app==web", new[] { "a-1", "b-1" })]
    [InlineData("app!=web", new[] { "a-2", "u-1" })]
    [InlineData("app in (web,db)", new[] { "a-1", "a-2", "b-1" })]
    [InlineData("app notin (web,db)", new[] { "u-1" })]
    [InlineData("tier", new[] { "a-1", "b-1" })]
    [InlineData("!tier", new[] { "a-2", "u-1" })]
    [InlineData("app=web,tier!=back", new[] { "a-1" })]
    [InlineData("tier notin (front)", new[] { "a-2", "b-1", "u-1" })]
    public async Task LabelSelector_FiltersPods(string selector, string[] expected)
    {
        var pods = await Client.CoreV1.ListNamespacedPodAsync("default", labelSelector: selector);

        Assert.Equal(expected, pods.Items.Select(p => p.Metadata.Name).ToArray());
    }

    [Fact]
    public async Task FieldSelector_SpecNodeName_AcrossAllNamespaces_ReturnsOnlyThatNodesPods()
    {
        var pods = await Client.CoreV1.ListPodForAllNamespacesAsync(fieldSelector: "spec.nodeName=node-a");

        Assert.Equal(["default/a-1", "default/a-2", "other/o-1"], pods.Items.Select(p => p.Metadata.NamespaceProperty + "/" + p.Metadata.Name).ToArray());
    }

    [Fact]
    public async Task FieldSelector_EmptyNodeName_FindsUnscheduledPods()
    {
        var pods = await Client.CoreV1.ListNamespacedPodAsync("default", fieldSelector: "spec.nodeName=");

        Assert.Equal("u-1", Assert.Single(pods.Items).Metadata.Name);
    }

    [Fact]
    public async Task FieldSelector_CombinesWithLabelsAndPhase()
    {
        var running = Pod("r-1", "node-a", new Dictionary<string, string> { ["app"] = "web" });
        running.Status = new V1PodStatus { Phase = "Running" };
        Sandbox.Seed(running);

        var pods = await Client.CoreV1.ListNamespacedPodAsync("default", fieldSelector: "spec.nodeName=node-a,status.phase=Running", labelSelector: "app=web");

        Assert.Equal("r-1", Assert.Single(pods.Items).Metadata.Name);
    }

    [Fact]
    public async Task FieldSelector_MetadataName_And_SecretType()
    {
        await Client.CoreV1.CreateNamespacedSecretAsync(Secret("plain"), "default");
        var tls = Secret("cert");
        tls.Type = "kubernetes.io/tls";
        tls.StringData = new Dictionary<string, string> { ["tls.crt"] = "c", ["tls.key"] = "k" };
        await Client.CoreV1.CreateNamespacedSecretAsync(tls, "default");

        var byType = await Client.CoreV1.ListNamespacedSecretAsync("default", fieldSelector: "type=kubernetes.io/tls");
        var byName = await Client.CoreV1.ListNamespacedSecretAsync("default", fieldSelector: "metadata.name=plain");

        Assert.Equal("cert", Assert.Single(byType.Items).Metadata.Name);
        Assert.Equal("plain", Assert.Single(byName.Items).Metadata.Name);
    }

    [Fact]
    public async Task Secrets_ByManagedLabel_AsTheDriverCachesThem()
    {
        await Client.CoreV1.CreateNamespacedSecretAsync(Secret("synced", new Dictionary<string, string> { ["secrets-store.csi.k8s.io/managed"] = "true" }), "default");
        await Client.CoreV1.CreateNamespacedSecretAsync(Secret("unrelated"), "default");

        var managed = await Client.CoreV1.ListSecretForAllNamespacesAsync(labelSelector: "secrets-store.csi.k8s.io/managed=true");

        Assert.Equal("synced", Assert.Single(managed.Items).Metadata.Name);
    }

    [Fact]
    public async Task FieldSelector_OnUnsupportedField_Answers400()
    {
        var (error, status) = await ExpectApiErrorAsync(() => Client.CoreV1.ListNamespacedPodAsync("default", fieldSelector: "spec.containers=x"));

        Assert.Equal(HttpStatusCode.BadRequest, error.Response.StatusCode);
        Assert.Equal("field label not supported: spec.containers", status["message"]!.GetValue<string>());
    }

    [Fact]
    public async Task LabelSelector_Malformed_Answers400()
    {
        var (error, _) = await ExpectApiErrorAsync(() => Client.CoreV1.ListNamespacedPodAsync("default", labelSelector: "app in (web"));

        Assert.Equal(HttpStatusCode.BadRequest, error.Response.StatusCode);
    }

    [Fact]
    public async Task List_WithLimit_PagesWithContinueTokens_AtOneConsistentResourceVersion()
    {
        var first = await Client.CoreV1.ListNamespacedPodAsync("default", limit: 2);
        Assert.Equal(2, first.Items.Count);
        Assert.NotNull(first.Metadata.ContinueProperty);
        Assert.Equal(2, first.Metadata.RemainingItemCount);

        // A pod created between pages does not show up in the pinned list.
        await Client.CoreV1.CreateNamespacedPodAsync(Pod("a-0-late"), "default");
        await Client.CoreV1.DeleteNamespacedPodAsync("u-1", "default");

        var second = await Client.CoreV1.ListNamespacedPodAsync("default", limit: 2, continueParameter: first.Metadata.ContinueProperty);
        Assert.Equal(first.Metadata.ResourceVersion, second.Metadata.ResourceVersion);
        Assert.Null(second.Metadata.ContinueProperty);
        Assert.Equal(["a-1", "a-2", "b-1", "u-1"], first.Items.Concat(second.Items).Select(p => p.Metadata.Name).ToArray());
    }

    [Fact]
    public async Task List_ContinueOlderThanTheWatchCache_Answers410WithAnInconsistentToken()
    {
        var first = await Client.CoreV1.ListNamespacedPodAsync("default", limit: 2);
        await Client.CoreV1.CreateNamespacedPodAsync(Pod("z-1"), "default");
        Sandbox.CompactWatchCache();

        var (error, status) = await ExpectApiErrorAsync(() => Client.CoreV1.ListNamespacedPodAsync("default", limit: 2, continueParameter: first.Metadata.ContinueProperty));
        Assert.Equal(HttpStatusCode.Gone, error.Response.StatusCode);
        Assert.Equal("Expired", status["reason"]!.GetValue<string>());
        var inconsistent = status["metadata"]!["continue"]!.GetValue<string>();

        var rest = await Client.CoreV1.ListNamespacedPodAsync("default", continueParameter: inconsistent);
        Assert.Equal(["b-1", "u-1", "z-1"], rest.Items.Select(p => p.Metadata.Name).ToArray());
    }
}
