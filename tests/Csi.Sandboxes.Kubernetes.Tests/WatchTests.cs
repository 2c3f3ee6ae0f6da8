using System.Net;
using k8s;
using k8s.Models;

namespace Csi.Sandboxes.Kubernetes.Tests;

public sealed class WatchTests : SandboxTestBase
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    protected override KubernetesSandboxOptions CreateOptions() => new() { WatchCacheSize = 20 };

    [Fact]
    public async Task WatchFromResourceVersion_ReplaysLaterChanges_ThenStreamsLiveOnes()
    {
        var start = (await Client.CoreV1.ListNamespacedPodAsync("default")).Metadata.ResourceVersion;
        await Client.CoreV1.CreateNamespacedPodAsync(Pod("web-0"), "default");
        await Client.CoreV1.PatchNamespacedPodAsync(new V1Patch("""{"metadata":{"labels":{"v":"2"}}}""", V1Patch.PatchType.MergePatch), "web-0", "default");

        using var cts = new CancellationTokenSource(Patience);
        var seen = new List<(WatchEventType Type, string Name, string? Label, string Rv)>();
        var watching = Task.Run(async () =>
        {
            await foreach (var (type, pod) in Client.CoreV1.WatchListNamespacedPodAsync("default", resourceVersion: start, cancellationToken: cts.Token))
            {
                seen.Add((type, pod.Metadata.Name, (pod.Metadata.Labels is { } l && l.TryGetValue("v", out var v) ? v : null), pod.Metadata.ResourceVersion));
                if (type == WatchEventType.Deleted)
                {
                    break;
                }
            }
        });

        await Sandbox.WaitForWatchesAsync(1, "pods");
        var deleted = await Client.CoreV1.DeleteNamespacedPodAsync("web-0", "default");
        await watching.WaitAsync(Patience);

        Assert.Equal([WatchEventType.Added, WatchEventType.Modified, WatchEventType.Deleted], seen.Select(e => e.Type).ToArray());
        Assert.Equal("2", seen[1].Label);
        Assert.True(ulong.Parse(seen[2].Rv) > ulong.Parse(seen[1].Rv));
        Assert.Equal(deleted.Metadata.ResourceVersion, seen[2].Rv);
    }

    [Fact]
    public async Task WatchOnAQuietResource_AnswersWithHeadersBeforeAnyEvent()
    {
        using var http = new HttpClient { BaseAddress = Sandbox.Address };
        http.DefaultRequestHeaders.Authorization = new("Bearer", Sandbox.Token);
        using var cts = new CancellationTokenSource(Patience);

        // No object and a resourceVersion of now: nothing to send, yet the response must start at once.
        var path = $"/api/v1/namespaces/default/configmaps?watch=true&resourceVersion={Sandbox.ResourceVersion}";
        using var response = await http.GetAsync(path, HttpCompletionOption.ResponseHeadersRead, cts.Token);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(1, Sandbox.ActiveWatchCount("configmaps"));
    }

    [Fact]
    public async Task WatchWithoutResourceVersion_StartsWithTheCurrentStateAsAdded()
    {
        Sandbox.SeedMany(new[] { Pod("a"), Pod("b") });

        using var cts = new CancellationTokenSource(Patience);
        var names = new List<string>();
        await foreach (var (type, pod) in Client.CoreV1.WatchListNamespacedPodAsync("default", cancellationToken: cts.Token))
        {
            Assert.Equal(WatchEventType.Added, type);
            names.Add(pod.Metadata.Name);
            if (names.Count == 2)
            {
                break;
            }
        }

        Assert.Equal(["a", "b"], names);
    }

    [Fact]
    public async Task Bookmarks_CarryTheCurrentResourceVersion_WhenAllowed()
    {
        using var cts = new CancellationTokenSource(Patience);
        string? bookmarkRv = null;
        var watching = Task.Run(async () =>
        {
            await foreach (var (type, pod) in Client.CoreV1.WatchListNamespacedPodAsync("default", allowWatchBookmarks: true, resourceVersion: Sandbox.ResourceVersion.ToString(), cancellationToken: cts.Token))
            {
                if (type == WatchEventType.Bookmark)
                {
                    bookmarkRv = pod.Metadata.ResourceVersion;
                    break;
                }
            }
        });

        await Sandbox.WaitForWatchesAsync(1, "pods");
        await Client.CoreV1.CreateNamespacedSecretAsync(Secret("unrelated"), "default");
        Sandbox.SendBookmarks();
        await watching.WaitAsync(Patience);

        Assert.Equal(Sandbox.ResourceVersion.ToString(), bookmarkRv);
    }

    [Fact]
    public async Task SendInitialEvents_EndsTheInitialStateWithAnAnnotatedBookmark()
    {
        Sandbox.SeedMany(new[] { Pod("a"), Pod("b") });
        using var cts = new CancellationTokenSource(Patience);
        var events = new List<(WatchEventType, V1Pod)>();
        await foreach (var (type, pod) in Client.CoreV1.WatchListNamespacedPodAsync("default", allowWatchBookmarks: true, sendInitialEvents: true, resourceVersionMatch: "NotOlderThan", cancellationToken: cts.Token))
        {
            events.Add((type, pod));
            if (type == WatchEventType.Bookmark)
            {
                break;
            }
        }

        Assert.Equal([WatchEventType.Added, WatchEventType.Added, WatchEventType.Bookmark], events.Select(e => e.Item1).ToArray());
        Assert.Equal("true", events[2].Item2.Metadata.Annotations["k8s.io/initial-events-end"]);
    }

    [Fact]
    public async Task WatchFromAResourceVersionOlderThanTheCache_GetsAnErrorEventWith410Gone()
    {
        var start = Sandbox.ResourceVersion.ToString();
        for (var i = 0; i < 30; i++)
        {
            await Client.CoreV1.CreateNamespacedPodAsync(Pod($"p-{i}"), "default");
        }

        using var cts = new CancellationTokenSource(Patience);
        var errors = new List<Exception>();
        var events = 0;
        await foreach (var _ in Client.CoreV1.WatchListNamespacedPodAsync("default", resourceVersion: start, onError: errors.Add, cancellationToken: cts.Token))
        {
            events++;
        }

        Assert.Equal(0, events);
        var expired = Assert.IsType<KubernetesException>(Assert.Single(errors));
        Assert.Equal(410, expired.Status.Code);
        Assert.Equal("Expired", expired.Status.Reason);
        Assert.StartsWith($"too old resource version: {start} (", expired.Status.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ExpireWatches_SendsAnOpenWatch410_AndEndsIt()
    {
        using var cts = new CancellationTokenSource(Patience);
        var errors = new List<Exception>();
        var watching = Task.Run(async () =>
        {
            await foreach (var _ in Client.CoreV1.WatchListNamespacedPodAsync("default", resourceVersion: Sandbox.ResourceVersion.ToString(), onError: errors.Add, cancellationToken: cts.Token))
            {
            }
        });

        await Sandbox.WaitForWatchesAsync(1, "pods");
        Sandbox.ExpireWatches();
        await watching.WaitAsync(Patience);

        Assert.Equal(410, Assert.IsType<KubernetesException>(Assert.Single(errors)).Status.Code);
        Assert.Equal(0, Sandbox.ActiveWatchCount());
    }

    [Fact]
    public async Task LabelSelectedWatch_SeesObjectsLeaveAndEnterTheSelection()
    {
        var start = Sandbox.ResourceVersion.ToString();
        await Client.CoreV1.CreateNamespacedPodAsync(Pod("web-0", labels: new Dictionary<string, string> { ["app"] = "web" }), "default");
        await Client.CoreV1.CreateNamespacedPodAsync(Pod("db-0", labels: new Dictionary<string, string> { ["app"] = "db" }), "default");
        await Client.CoreV1.PatchNamespacedPodAsync(new V1Patch("""{"metadata":{"labels":{"app":"api"}}}""", V1Patch.PatchType.MergePatch), "web-0", "default");
        await Client.CoreV1.PatchNamespacedPodAsync(new V1Patch("""{"metadata":{"labels":{"app":"web"}}}""", V1Patch.PatchType.MergePatch), "db-0", "default");

        using var cts = new CancellationTokenSource(Patience);
        var seen = new List<string>();
        await foreach (var (type, pod) in Client.CoreV1.WatchListNamespacedPodAsync("default", labelSelector: "app=web", resourceVersion: start, cancellationToken: cts.Token))
        {
            seen.Add($"{type} {pod.Metadata.Name}");
            if (seen.Count == 3)
            {
                break;
            }
        }

        Assert.Equal(["Added web-0", "Deleted web-0", "Added db-0"], seen);
    }

    [Fact]
    public async Task FieldSelectedWatch_OnNodeName_OnlySeesThatNodesPods()
    {
        var start = Sandbox.ResourceVersion.ToString();
        await Client.CoreV1.CreateNamespacedPodAsync(Pod("a", "node-a"), "default");
        await Client.CoreV1.CreateNamespacedPodAsync(Pod("b", "node-b"), "default");
        await Client.CoreV1.CreateNamespacedPodAsync(Pod("c", "node-a"), "default");

        using var cts = new CancellationTokenSource(Patience);
        var seen = new List<string>();
        await foreach (var (_, pod) in Client.CoreV1.WatchListPodForAllNamespacesAsync(fieldSelector: "spec.nodeName=node-a", resourceVersion: start, cancellationToken: cts.Token))
        {
            seen.Add(pod.Metadata.Name);
            if (seen.Count == 2)
            {
                break;
            }
        }

        Assert.Equal(["a", "c"], seen);
    }

    [Fact]
    public async Task TimeoutSeconds_EndsTheWatch()
    {
        var start = Sandbox.ResourceVersion.ToString();
        await Client.CoreV1.CreateNamespacedPodAsync(Pod("a"), "default");
        using var cts = new CancellationTokenSource(Patience);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var events = 0;
        await foreach (var _ in Client.CoreV1.WatchListNamespacedPodAsync("default", resourceVersion: start, timeoutSeconds: 1, cancellationToken: cts.Token))
        {
            events++;
        }

        Assert.Equal(1, events);
        Assert.InRange(clock.Elapsed, TimeSpan.FromMilliseconds(900), TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task AWatchThatEndsBeforeAnyEvent_SurfacesTheClientsEndOfStreamError_AsWithARealServer()
    {
        // KubernetesClient peeks the first line before handing out the stream (kubernetes-client/csharp#893):
        // an empty watch body is an error to it, whichever server sent it.
        using var cts = new CancellationTokenSource(Patience);

        var error = await Assert.ThrowsAsync<HttpRequestException>(async () =>
        {
            await foreach (var _ in Client.CoreV1.WatchListNamespacedPodAsync("default", resourceVersion: Sandbox.ResourceVersion.ToString(), timeoutSeconds: 1, cancellationToken: cts.Token))
            {
            }
        });

        Assert.IsType<EndOfStreamException>(error.InnerException);
    }

    [Fact]
    public async Task CustomObjectWatch_StreamsChanges()
    {
        Sandbox.RegisterCustomResourceDefinition(Manifests.Widget);
        var start = Sandbox.ResourceVersion.ToString();
        var widget = new System.Text.Json.Nodes.JsonObject
        {
            ["apiVersion"] = "example.com/v1",
            ["kind"] = "Widget",
            ["metadata"] = new System.Text.Json.Nodes.JsonObject { ["name"] = "w1" },
            ["spec"] = new System.Text.Json.Nodes.JsonObject { ["color"] = "red", ["size"] = 1 },
        };
        await Client.CustomObjects.CreateNamespacedCustomObjectAsync(widget, "example.com", "v1", "default", "widgets");
        await Client.CustomObjects.DeleteNamespacedCustomObjectAsync("example.com", "v1", "default", "widgets", "w1");

        using var cts = new CancellationTokenSource(Patience);
        var types = new List<WatchEventType>();
        await foreach (var (type, _) in Client.CustomObjects.WatchListNamespacedCustomObjectAsync("example.com", "v1", "default", "widgets", resourceVersion: start, cancellationToken: cts.Token))
        {
            types.Add(type);
            if (types.Count == 2)
            {
                break;
            }
        }

        Assert.Equal([WatchEventType.Added, WatchEventType.Deleted], types);
    }

    [Fact]
    public async Task ListWithExactOldResourceVersion_ShowsThePastState_OrAnswers410WhenCompacted()
    {
        await Client.CoreV1.CreateNamespacedPodAsync(Pod("a"), "default");
        var then = Sandbox.ResourceVersion.ToString();
        await Client.CoreV1.CreateNamespacedPodAsync(Pod("b"), "default");
        await Client.CoreV1.DeleteNamespacedPodAsync("a", "default");

        var past = await Client.CoreV1.ListNamespacedPodAsync("default", resourceVersion: then, resourceVersionMatch: "Exact");
        Assert.Equal(["a"], past.Items.Select(p => p.Metadata.Name).ToArray());
        Assert.Equal(then, past.Metadata.ResourceVersion);

        Sandbox.CompactWatchCache();
        var (error, _) = await ExpectApiErrorAsync(() => Client.CoreV1.ListNamespacedPodAsync("default", resourceVersion: then, resourceVersionMatch: "Exact"));
        Assert.Equal(HttpStatusCode.Gone, error.Response.StatusCode);
    }

    [Fact]
    public async Task ConcurrentWrites_AreAllSeenByAWatch_InIncreasingResourceVersionOrder()
    {
        var start = Sandbox.ResourceVersion.ToString();
        Sandbox.WatchCacheSize = 1000;
        await Task.WhenAll(Enumerable.Range(0, 8).Select(worker => Task.Run(async () =>
        {
            for (var i = 0; i < 25; i++)
            {
                await Client.CoreV1.CreateNamespacedPodAsync(Pod($"w{worker}-{i}"), "default");
            }
        })));

        using var cts = new CancellationTokenSource(Patience);
        var versions = new List<ulong>();
        await foreach (var (_, pod) in Client.CoreV1.WatchListNamespacedPodAsync("default", resourceVersion: start, cancellationToken: cts.Token))
        {
            versions.Add(ulong.Parse(pod.Metadata.ResourceVersion));
            if (versions.Count == 200)
            {
                break;
            }
        }

        Assert.Equal(200, versions.Distinct().Count());
        Assert.Equal(versions.Order().ToArray(), versions.ToArray());
        Assert.Equal(200, Sandbox.CountRequests(verb: "create", resource: "pods", statusCode: 201));
    }
}
