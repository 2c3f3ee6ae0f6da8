using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using Csi.TestProvider;
using Csi.Testing;
using SecretsStore.Driver.Tests.Kubernetes;
using Xunit.Abstractions;

namespace SecretsStore.Driver.Tests.Functional;

/// <summary>
/// A measurement, not a benchmark: the driver as a real process (SCALE_DRIVER_BINARY, e.g. the Native AOT binary,
/// else the JIT apphost built beside these tests) against the sandbox seeded with a small and a large cluster.
/// 50 pods on this node mount volumes (10 of their classes sync a Secret); this test plays kubelet and republishes
/// every volume every 10 s with rotation due every 10 s, so that steady state includes rotation checks. It
/// reports RSS and API requests per minute over a window (SCALE_WINDOW_SECONDS, default 60), and asserts only
/// what must hold: steady-state requests do not grow with the cluster, and nothing lists or watches pods or
/// SecretProviderClasses. Filter it out with Category!=Scale when time matters.
/// </summary>
[Trait("Category", "Scale")]
public sealed class ScaleMeasurementTests(ITestOutputHelper output)
{
    private const int VolumesOnNode = 50;
    private const int Namespaces = 20;
    private static readonly TimeSpan RepublishPeriod = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task SteadyStateRequests_DoNotGrowWithClusterSize_AndNothingListsPodsOrClasses()
    {
        var small = await MeasureAsync(pods: 500, classes: 100);
        var large = await MeasureAsync(pods: 5_000, classes: 1_000);

        foreach (var m in new[] { small, large })
        {
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{m.Pods,5} pods, {m.Classes,5} classes, {VolumesOnNode} volumes on the node ({m.Binary}): RSS {m.RssKiB / 1024.0:0.0} MiB; " +
                $"publish phase {m.PublishRequests} requests; steady state {m.WindowRequests} requests in {m.Window.TotalSeconds:0}s = {m.RequestsPerMinute:0.0}/min ({m.ByVerb})"));
        }
        Assert.True(large.RequestsPerMinute <= (small.RequestsPerMinute * 2) + 5, $"steady-state requests grew with the cluster: {small.RequestsPerMinute:0.0}/min -> {large.RequestsPerMinute:0.0}/min");
        Assert.Equal(0, small.PodOrClassCollectionReads + large.PodOrClassCollectionReads);
    }

    private static async Task<Measurement> MeasureAsync(int pods, int classes)
    {
        await using var cluster = await SandboxCluster.StartAsync();
        Seed(cluster, pods, classes);
        using var root = new TempDirectory("ssd-scale-");
        var providers = Path.Combine(root.Path, "providers");
        await using var provider = await TestProviderServer.StartAsync(Path.Combine(providers, DriverHarness.ProviderName + ".sock"));
        provider.Service.Handler = (_, _) => Task.FromResult(DriverHarness.Response(("password", "p"), ("username", "u")));

        var binary = Environment.GetEnvironmentVariable("SCALE_DRIVER_BINARY") is { Length: > 0 } configured ? configured : Path.Combine(AppContext.BaseDirectory, "secrets-store-csi-driver");
        var endpoint = "unix://" + Path.Combine(root.Path, "csi.sock");
        string[] arguments = [
            "--endpoint=" + endpoint, "--nodeid=node-1", "--provider-volume=" + providers, "--additional-provider-volume-paths=", "--state-dir=" + Path.Combine(root.Path, "state"),
            "--kubeconfig=" + cluster.KubeconfigPath, "--metrics-addr=", "--enable-secret-rotation", "--rotation-poll-interval=10s"];
        await using var driver = await DriverProcess.StartAsync(binary, arguments, endpoint);

        var volumes = Enumerable.Range(0, VolumesOnNode).Select(i => (Index: i, Target: Path.Combine(root.Path, "pods", Uid(i), "volumes", "kubernetes.io~csi", "secrets", "mount"))).ToArray();
        foreach (var (_, target) in volumes)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
        }
        async Task PublishAllAsync()
        {
            foreach (var (i, target) in volumes)
            {
                await driver.Client.Node.NodePublishVolumeAsync(DriverHarness.PublishRequest(target, "spc-" + i, Namespace(i), "pod-" + i, Uid(i)));
            }
        }

        try
        {
            await PublishAllAsync();
            var publishRequests = cluster.Sandbox.CountRequests();
            using var stop = new CancellationTokenSource();
            var kubelet = Task.Run(async () =>
            {
                while (!stop.IsCancellationRequested)
                {
                    await Task.Delay(RepublishPeriod, stop.Token).ContinueWith(_ => { }, TaskScheduler.Default);
                    if (!stop.IsCancellationRequested)
                    {
                        await PublishAllAsync();
                    }
                }
            });

            await Task.Delay(TimeSpan.FromSeconds(10)); // past the first rotation
            var window = TimeSpan.FromSeconds(int.TryParse(Environment.GetEnvironmentVariable("SCALE_WINDOW_SECONDS"), out var s) && s > 0 ? s : 60);
            var from = DateTimeOffset.UtcNow;
            var clock = Stopwatch.StartNew();
            await Task.Delay(window);
            var measured = clock.Elapsed;
            var inWindow = cluster.Sandbox.RequestLog.Where(e => e.Time >= from).ToArray();
            var rss = driver.ReadRssKiB();
            await stop.CancelAsync();
            await kubelet;

            var byVerb = string.Join(", ", inWindow.GroupBy(e => $"{e.Verb} {e.Resource}").OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => $"{g.Key}: {g.Count()}"));
            var podOrClassReads = cluster.Sandbox.CountRequests(e => e.Verb is "list" or "watch" && e.Resource is "pods" or "secretproviderclasses");
            Assert.DoesNotContain("never-logged", driver.Output, StringComparison.Ordinal);
            return new Measurement(pods, classes, Path.GetFileName(Path.GetDirectoryName(binary)) + "/" + Path.GetFileName(binary), rss, publishRequests, inWindow.Length, measured, inWindow.Length * 60 / measured.TotalSeconds, byVerb, podOrClassReads);
        }
        finally
        {
            foreach (var (_, target) in volumes)
            {
                await driver.Client.Node.NodeUnpublishVolumeAsync(new global::Csi.V1.NodeUnpublishVolumeRequest { VolumeId = "v", TargetPath = target });
            }
            MountTable.UnmountBeneath(root.Path);
        }
    }

    private static string Namespace(int i) => "team-" + (i % Namespaces).ToString(CultureInfo.InvariantCulture);

    private static string Uid(int i) => $"00000000-0000-4000-8000-{i:D12}";

    private static void Seed(SandboxCluster cluster, int pods, int classes)
    {
        cluster.Sandbox.SeedMany(Enumerable.Range(0, classes).Select(i => new JsonObject
        {
            ["apiVersion"] = SandboxCluster.Group + "/v1",
            ["kind"] = "SecretProviderClass",
            ["metadata"] = new JsonObject { ["name"] = "spc-" + i, ["namespace"] = Namespace(i) },
            ["spec"] = new JsonObject
            {
                ["provider"] = DriverHarness.ProviderName,
                ["parameters"] = new JsonObject { ["objects"] = "- objectName: password" },
                ["secretObjects"] = i % 5 == 0
                    ? new JsonArray(new JsonObject
                    {
                        ["secretName"] = "synced-" + i,
                        ["type"] = "Opaque",
                        ["data"] = new JsonArray(new JsonObject { ["objectName"] = "password", ["key"] = "password" }),
                    })
                    : new JsonArray(),
            },
        }));
        cluster.Sandbox.SeedMany(Enumerable.Range(0, pods).Select(i => new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "Pod",
            ["metadata"] = new JsonObject { ["name"] = "pod-" + i, ["namespace"] = Namespace(i), ["uid"] = Uid(i) },
            ["spec"] = new JsonObject
            {
                ["nodeName"] = i < VolumesOnNode ? "node-1" : "node-" + ((i % 100) + 2).ToString(CultureInfo.InvariantCulture),
                ["containers"] = new JsonArray(new JsonObject { ["name"] = "app", ["image"] = "app" }),
            },
        }));
    }

    private sealed record Measurement(int Pods, int Classes, string Binary, long RssKiB, int PublishRequests, int WindowRequests, TimeSpan Window, double RequestsPerMinute, string ByVerb, int PodOrClassCollectionReads);
}
