using System.Collections.Concurrent;
using System.Text;
using Csi.Kubernetes.Informers;
using Csi.Kubernetes.Models;
using Csi.Sandboxes.Kubernetes;
using Microsoft.Extensions.Logging.Abstractions;

namespace Csi.Kubernetes.Tests;

/// <summary>The informer against the API sandbox: list, watch, resume, relist on 410, back-off, assumed writes.</summary>
public sealed class InformerTests
{
    private readonly ConcurrentQueue<string> _seen = new();

    [Fact]
    public async Task ListsThenWatches_CacheAndHandlersFollowEveryChange()
    {
        await using var api = await SandboxApi.StartAsync();
        api.SeedConfigMap("a");
        api.SeedConfigMap("b");
        api.SeedConfigMap("other", @namespace: "kube-system");
        var client = api.NewClient();
        await using var informer = NewInformer(client, "default");
        informer.Start();
        await informer.WaitForSyncAsync(default).WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal(["a", "b"], informer.List().Select(c => c.Metadata.Name).Order());
        Assert.Null(informer.Get("kube-system", "other"));

        await client.CreateAsync(SandboxApi.ConfigMaps, "default", new ObjectMetadataResource { ApiVersion = "v1", Kind = "ConfigMap", Metadata = new ObjectMeta { Name = "c" } }, KubernetesJsonContext.Default.ObjectMetadataResource, default);
        await client.PatchAsync(SandboxApi.ConfigMaps, "default", "a", Encoding.UTF8.GetBytes("""{"metadata":{"labels":{"x":"y"}}}"""), KubernetesJsonContext.Default.ObjectMetadataResource, default);
        await client.DeleteAsync(SandboxApi.ConfigMaps, "default", "b", default);

        await Eventually.TrueAsync(() => _seen.Count == 5, "five events were handled");
        Assert.Equal(["added a", "added b", "added c", "updated a", "deleted b"], _seen.ToArray());
        Assert.Equal("y", informer.Get("default", "a")!.Metadata.Labels!["x"]);
        Assert.Null(informer.Get("default", "b"));
        Assert.NotNull(informer.Get("default", "c"));
    }

    [Fact]
    public async Task WatchEndedByTheServer_ResumesFromTheLastResourceVersion_WithoutListingAgain()
    {
        await using var api = await SandboxApi.StartAsync();
        api.SeedConfigMap("a");
        await using var informer = NewInformer(api.NewClient(), "default");
        informer.Start();
        await informer.WaitForSyncAsync(default).WaitAsync(TimeSpan.FromSeconds(10));
        await api.Sandbox.WaitForWatchesAsync(1, "configmaps");

        api.Sandbox.EndWatches();
        api.SeedConfigMap("b");

        await Eventually.TrueAsync(() => informer.Get("default", "b") is not null, "the object created while no watch was open arrived");
        Assert.Equal(1, api.Sandbox.CountRequests(verb: "list", resource: "configmaps"));
        Assert.Equal(["added a", "added b"], _seen.ToArray());
    }

    [Fact]
    public async Task Gone_ListsAgain_AndReportsWhatWasDeletedMeanwhile()
    {
        await using var api = await SandboxApi.StartAsync(new KubernetesSandboxOptions { UseTls = true, WatchCacheSize = 3 });
        api.SeedConfigMap("a");
        api.SeedConfigMap("b");
        await using var informer = NewInformer(api.NewClient(), "default");
        informer.Start();
        await informer.WaitForSyncAsync(default).WaitAsync(TimeSpan.FromSeconds(10));
        await api.Sandbox.WaitForWatchesAsync(1, "configmaps");

        // The next watch fails, and while the informer backs off, "a" goes and the cache forgets its version.
        api.Sandbox.FailNextRequests(1, 500, verb: "watch", resource: "configmaps");
        api.Sandbox.EndWatches();
        api.Sandbox.Delete("v1", "ConfigMap", "a", "default");
        for (var i = 0; i < 5; i++)
        {
            api.SeedConfigMap("b", "v" + i);
        }
        api.Sandbox.CompactWatchCache();

        await Eventually.TrueAsync(() => informer.Get("default", "a") is null, "the informer noticed the deletion");
        Assert.Contains("deleted a", _seen);
        var current = (string?)api.Sandbox.Get("v1", "ConfigMap", "b", "default")!["metadata"]!["resourceVersion"];
        await Eventually.TrueAsync(() => informer.Get("default", "b")?.Metadata.ResourceVersion == current, "the cache holds b's latest version");
        Assert.Equal(2, api.Sandbox.CountRequests(verb: "list", resource: "configmaps"));
    }

    [Fact]
    public async Task FailedLists_AreRetried_WithBackoff_UntilSynced()
    {
        await using var api = await SandboxApi.StartAsync();
        api.SeedConfigMap("a");
        api.Sandbox.FailNextRequests(2, 500, verb: "list", resource: "configmaps");
        await using var informer = NewInformer(api.NewClient(), "default");

        informer.Start();
        await informer.WaitForSyncAsync(default).WaitAsync(TimeSpan.FromSeconds(15));

        Assert.True(informer.HasSynced);
        Assert.Equal(3, api.Sandbox.CountRequests(verb: "list", resource: "configmaps"));
        Assert.NotNull(informer.Get("default", "a"));
    }

    [Fact]
    public async Task Selectors_ScopeTheCache()
    {
        await using var api = await SandboxApi.StartAsync();
        api.SeedConfigMap("a");
        api.SeedConfigMap("b");
        var client = api.NewClient();
        await using var informer = new Informer<ObjectMetadataResource>(
            client,
            SandboxApi.ConfigMaps,
            new InformerOptions { FieldSelector = "metadata.name=b" },
            KubernetesJsonContext.Default.ObjectMetadataResource,
            KubernetesJsonContext.Default.ResourceListObjectMetadataResource,
            NullLogger.Instance,
            TimeProvider.System);
        informer.Start();
        await informer.WaitForSyncAsync(default).WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal(["b"], informer.List().Select(c => c.Metadata.Name));
    }

    [Fact]
    public async Task Assume_ShowsTheWrittenObject_UntilTheWatchDeliversThatVersion_ThenHandlersSeeOneAdd()
    {
        await using var api = await SandboxApi.StartAsync();
        var client = api.NewClient();
        await using var informer = NewInformer(client, "default");
        informer.Start();
        await informer.WaitForSyncAsync(default).WaitAsync(TimeSpan.FromSeconds(10));
        await api.Sandbox.WaitForWatchesAsync(1, "configmaps");
        api.Sandbox.DelayNextRequests(1, TimeSpan.FromSeconds(1), verb: "watch", resource: "configmaps");
        api.Sandbox.EndWatches();

        var created = await client.CreateAsync(SandboxApi.ConfigMaps, "default", ConfigMap("c"), KubernetesJsonContext.Default.ObjectMetadataResource, default);
        Assert.True(informer.Assume(created));

        Assert.Same(created, informer.Get("default", "c"));
        Assert.Equal(["c"], informer.List().Select(c => c.Metadata.Name));
        Assert.Empty(_seen);
        await Eventually.TrueAsync(() => informer.AssumedCount == 0, "the watch delivered the assumed version");
        Assert.Equal(["added c"], _seen.ToArray());
        Assert.NotSame(created, informer.Get("default", "c"));
        Assert.Equal(created.Metadata.ResourceVersion, informer.Get("default", "c")!.Metadata.ResourceVersion);
    }

    [Fact]
    public async Task Assume_AnOlderVersionFromTheWatch_NeverOverwritesIt_ANewerOneDoes()
    {
        await using var api = await SandboxApi.StartAsync();
        api.SeedConfigMap("a");
        var client = api.NewClient();
        await using var informer = NewInformer(client, "default");
        informer.Start();
        await informer.WaitForSyncAsync(default).WaitAsync(TimeSpan.FromSeconds(10));
        var listed = informer.Get("default", "a")!;
        var ahead = api.Sandbox.ResourceVersion + 2; // the version the second patch below gets
        var written = ConfigMap("a", ahead.ToString(System.Globalization.CultureInfo.InvariantCulture), ("written", "yes"));

        Assert.True(informer.Assume(written));
        Assert.False(informer.Assume(listed)); // older than the one assumed
        await client.PatchAsync(SandboxApi.ConfigMaps, "default", "a", Encoding.UTF8.GetBytes("""{"metadata":{"labels":{"x":"1"}}}"""), KubernetesJsonContext.Default.ObjectMetadataResource, default);
        await Eventually.TrueAsync(() => _seen.Contains("updated a"), "the watch delivered the older update");

        Assert.Same(written, informer.Get("default", "a"));
        Assert.Same(written, Assert.Single(informer.List()));

        await client.PatchAsync(SandboxApi.ConfigMaps, "default", "a", Encoding.UTF8.GetBytes("""{"metadata":{"labels":{"x":"2"}}}"""), KubernetesJsonContext.Default.ObjectMetadataResource, default);
        await Eventually.TrueAsync(() => informer.Get("default", "a")?.Metadata.Labels?.GetValueOrDefault("x") == "2", "the version the write assumed arrived");
        Assert.Equal(ahead.ToString(System.Globalization.CultureInfo.InvariantCulture), informer.Get("default", "a")!.Metadata.ResourceVersion);
        Assert.Equal(0, informer.AssumedCount);
    }

    [Fact]
    public async Task Assume_OfAnObjectDeletedBeforeTheList_IsDroppedByTheList()
    {
        await using var api = await SandboxApi.StartAsync();
        var client = api.NewClient();
        await using var informer = NewInformer(client, "default");
        var created = await client.CreateAsync(SandboxApi.ConfigMaps, "default", ConfigMap("c"), KubernetesJsonContext.Default.ObjectMetadataResource, default);
        Assert.True(informer.Assume(created));
        await client.DeleteAsync(SandboxApi.ConfigMaps, "default", "c", default);

        informer.Start();
        await informer.WaitForSyncAsync(default).WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Null(informer.Get("default", "c"));
        Assert.Empty(informer.List());
        Assert.Equal(0, informer.AssumedCount);
        Assert.Empty(_seen);
    }

    [Fact]
    public async Task Assume_WithoutAVersion_StandsInUntilTheInformerShowsAnyVersion()
    {
        await using var api = await SandboxApi.StartAsync();
        api.SeedConfigMap("a");
        await using var informer = NewInformer(api.NewClient(), "default");
        var unversioned = ConfigMap("a");

        Assert.True(informer.Assume(unversioned));
        Assert.Same(unversioned, informer.Get("default", "a"));
        informer.Start();
        await informer.WaitForSyncAsync(default).WaitAsync(TimeSpan.FromSeconds(10));

        Assert.NotSame(unversioned, informer.Get("default", "a"));
        Assert.NotNull(informer.Get("default", "a")!.Metadata.ResourceVersion);
        Assert.False(informer.Assume(unversioned));
        Assert.Equal(["added a"], _seen.ToArray());
    }

    [Fact]
    public async Task ListHandlers_RunAfterEveryList_WithTheCacheHoldingIt()
    {
        await using var api = await SandboxApi.StartAsync();
        api.SeedConfigMap("a");
        await using var informer = NewInformer(api.NewClient(), "default");
        var lists = new ConcurrentQueue<string>();
        informer.AddListHandler(() => lists.Enqueue(string.Join(",", informer.List().Select(c => c.Metadata.Name).Order()) + " after " + string.Join(",", _seen)));
        informer.Start();
        await informer.WaitForSyncAsync(default).WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(["a after added a"], lists.ToArray());
        await api.Sandbox.WaitForWatchesAsync(1, "configmaps");

        api.Sandbox.CompactWatchCache();
        api.Sandbox.ExpireWatches();

        await Eventually.TrueAsync(() => lists.Count == 2, "the relist ran the handler again");
        Assert.Equal(2, api.Sandbox.CountRequests(verb: "list", resource: "configmaps"));
    }

    [Fact]
    public async Task WatchErrorHandler_IsToldOfFailuresAndExpiry_WithTheDelay_AndTheInformerStillRecovers()
    {
        await using var api = await SandboxApi.StartAsync();
        api.SeedConfigMap("a");
        api.Sandbox.FailNextRequests(2, 500, verb: "list", resource: "configmaps");
        await using var informer = NewInformer(api.NewClient(), "default");
        var errors = new ConcurrentQueue<InformerWatchError>();
        informer.SetWatchErrorHandler(errors.Enqueue);
        informer.Start();
        await informer.WaitForSyncAsync(default).WaitAsync(TimeSpan.FromSeconds(15));
        await api.Sandbox.WaitForWatchesAsync(1, "configmaps");

        api.Sandbox.CompactWatchCache();
        api.Sandbox.ExpireWatches();
        await Eventually.TrueAsync(() => errors.Count == 3, "the expiry was reported");
        api.SeedConfigMap("b");
        await Eventually.TrueAsync(() => informer.Get("default", "b") is not null, "the informer watches again");

        var reported = errors.ToArray();
        Assert.Equal([(false, 1), (false, 2), (true, 0)], reported.Select(e => (e.Gone, e.Attempt)));
        Assert.All(reported[..2], e => Assert.Contains("500", e.Error.Message, StringComparison.Ordinal));
        Assert.True(reported[1].Delay > reported[0].Delay, "the second retry waits longer than the first");
        Assert.NotNull(reported[2].ResourceVersion);
    }

    private static ObjectMetadataResource ConfigMap(string name, string? resourceVersion = null, params (string Key, string Value)[] labels) => new()
    {
        ApiVersion = "v1",
        Kind = "ConfigMap",
        Metadata = new ObjectMeta
        {
            Name = name,
            Namespace = "default",
            ResourceVersion = resourceVersion,
            Labels = labels.Length == 0 ? null : labels.ToDictionary(l => l.Key, l => l.Value),
        },
    };

    private Informer<ObjectMetadataResource> NewInformer(KubernetesApiClient client, string @namespace)
    {
        var informer = new Informer<ObjectMetadataResource>(
            client,
            SandboxApi.ConfigMaps,
            new InformerOptions { Namespace = @namespace, BackoffInitial = TimeSpan.FromMilliseconds(200) },
            KubernetesJsonContext.Default.ObjectMetadataResource,
            KubernetesJsonContext.Default.ResourceListObjectMetadataResource,
            NullLogger.Instance,
            TimeProvider.System);
        informer.AddHandler(
            added => _seen.Enqueue("added " + added.Metadata.Name),
            (old, updated) =>
            {
                Assert.NotEqual(old.Metadata.ResourceVersion, updated.Metadata.ResourceVersion);
                _seen.Enqueue("updated " + updated.Metadata.Name);
            },
            deleted => _seen.Enqueue("deleted " + deleted.Metadata.Name));
        return informer;
    }
}
