using System.Text.Json;
using Csi.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using SecretsStore.Driver.Rotation;
using SecretsStore.Driver.Tests.Kubernetes;

namespace SecretsStore.Driver.Tests.Functional;

/// <summary>
/// The driver's own rotation reconciler (no kubelet republish): real tmpfs mounts, the test provider, a manual
/// clock. With --rotation-poll-interval=2m a volume is due for a pass after 1m (the pass spreads its starts over
/// half the interval), and the pass timer fires at 2m: advancing 70s makes volumes due without a timer pass, so
/// that the test drives <c>RunOnceAsync</c> itself.
/// </summary>
public sealed class RotationReconcilerTests
{
    private static readonly TimeSpan Due = TimeSpan.FromSeconds(70);
    private const string PodUid = "0b6c1c2e-1111-4222-8333-444455556666";

    /// <summary>The driver on <paramref name="time"/> in standalone mode, the class written and read, the provider serving a=1.</summary>
    private static async Task<DriverHarness> StartAsync(FakeTimeProvider time, params string[] extra)
    {
        var h = await DriverHarness.StartWithClockAsync(time, null, ["--enable-secret-rotation", "--rotation-poll-interval=2m", .. extra]);
        WriteClass(h);
        h.ServeFiles(("a", "1"));
        return h;
    }

    /// <summary>The driver in Kubernetes mode against <paramref name="cluster"/> (pod web and class spc seeded), serving a=1, with one volume of pod web published.</summary>
    private static async Task<(DriverHarness H, string Target)> StartPublishedInClusterAsync(SandboxCluster cluster, FakeTimeProvider time)
    {
        cluster.SeedPod("web", PodUid);
        cluster.SeedClass("spc", provider: DriverHarness.ProviderName);
        var h = await DriverHarness.StartWithClockAsync(time, cluster.KubeconfigPath, "--enable-secret-rotation", "--rotation-poll-interval=2m");
        h.ServeFiles(("a", "1"));
        var target = h.NewTarget();
        await h.PublishAsync(DriverHarness.PublishRequest(target, podUid: PodUid));
        return (h, target);
    }

    /// <summary>Publishes a volume at a new target and returns the target.</summary>
    private static async Task<string> PublishNewAsync(DriverHarness h)
    {
        var target = h.NewTarget();
        await h.PublishAsync(DriverHarness.PublishRequest(target));
        return target;
    }

    /// <summary>Moves <paramref name="time"/> on by <see cref="Due"/> and starts a pass.</summary>
    private static Task<RotationPassResult> PassWhenDueAsync(DriverHarness h, FakeTimeProvider time)
    {
        time.Advance(Due);
        return h.Reconciler.RunOnceAsync();
    }

    [Fact]
    public async Task Reconcile_WhenDue_RotatesTheMountedVolume_WithoutARepublish()
    {
        var time = new FakeTimeProvider();
        await using var h = await StartAsync(time);
        h.ServeFiles(("a", "1"), ("b", "1"));
        var target = await PublishNewAsync(h);

        h.ServeFiles(("a", "1"), ("b", "2"));
        var pass = await PassWhenDueAsync(h, time);

        Assert.Equal((1, 1, 1, 0), (pass.Volumes, pass.Due, pass.Fetched, pass.Failed));
        Assert.Equal("2", File.ReadAllText(Path.Combine(target, "b")));
        Assert.Equal([("secret/a", "v-1"), ("secret/b", "v-1")], h.ProviderService.Requests.Last().CurrentObjectVersion.Select(v => (v.Id, v.Version)));
        Assert.Contains("\"v-2\"", File.ReadAllText(Assert.Single(Directory.GetFiles(h.StateDir))), StringComparison.Ordinal);
        Assert.Contains(h.Logs.Lines, m => m.Contains("SecretRotationComplete", StringComparison.Ordinal));
        var metrics = await new HttpClient().GetStringAsync(new Uri(h.MetricsAddress, "/metrics"));
        Assert.Contains("rotation_reconcile_total{provider=\"test\",os_type=\"linux\",rotated=\"true\"} 1", metrics, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Reconcile_BeforeTheVolumeIsDue_CallsNoProvider()
    {
        var time = new FakeTimeProvider();
        await using var h = await StartAsync(time);
        await PublishNewAsync(h);

        time.Advance(TimeSpan.FromSeconds(50));
        var pass = await h.Reconciler.RunOnceAsync();

        Assert.Equal((1, 0), (pass.Volumes, pass.Due));
        Assert.Single(h.ProviderService.Requests);
    }

    [Fact]
    public async Task Reconcile_RunsAtMostMaxConcurrencyProviderCallsAtOnce()
    {
        var time = new FakeTimeProvider();
        await using var h = await StartAsync(time, "--rotation-max-concurrency=2");
        for (var i = 0; i < 5; i++)
        {
            await PublishNewAsync(h);
        }
        var inFlight = 0;
        var most = 0;
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        h.ProviderService.Handler = async (_, _) =>
        {
            var now = Interlocked.Increment(ref inFlight);
            InterlockedMax(ref most, now);
            await gate.Task;
            Interlocked.Decrement(ref inFlight);
            return DriverHarness.Response(("a", "2"));
        };

        var pass = PassWhenDueAsync(h, time);
        await Eventually.TrueAsync(() => Volatile.Read(ref inFlight) == 2, "two rotations to be in flight at once");
        await Task.Delay(200); // room for a third call, were the limit not kept
        Assert.Equal(2, Volatile.Read(ref inFlight));
        gate.SetResult();
        var result = await pass;

        Assert.Equal(2, most);
        Assert.Equal((5, 5, 0), (result.Due, result.Fetched, result.Failed));
    }

    [Fact]
    public async Task Reconcile_ASlowProviderCall_DoesNotHoldUpTheOtherVolumes()
    {
        var time = new FakeTimeProvider();
        await using var h = await StartAsync(time);
        var slow = await PublishNewAsync(h);
        var fast = await PublishNewAsync(h);
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        h.ProviderService.Handler = async (request, _) =>
        {
            if (request.TargetPath == slow)
            {
                await gate.Task;
            }
            return DriverHarness.Response(("a", "2"));
        };

        var pass = PassWhenDueAsync(h, time);
        await Eventually.TrueAsync(() => File.ReadAllText(Path.Combine(fast, "a")) == "2", "the fast provider's volume to be rotated");
        Assert.Equal("1", File.ReadAllText(Path.Combine(slow, "a")));
        gate.SetResult();
        var result = await pass;

        Assert.Equal((2, 0), (result.Fetched, result.Failed));
        Assert.Equal("2", File.ReadAllText(Path.Combine(slow, "a")));
    }

    [Fact]
    public async Task Reconcile_AProviderThatNeverAnswers_IsAbandonedAtTheVolumeDeadline_KeepingTheContent()
    {
        var time = new FakeTimeProvider();
        await using var h = await StartAsync(time);
        var target = await PublishNewAsync(h);
        h.ProviderService.Handler = async (_, context) =>
        {
            await Task.Delay(Timeout.Infinite, context.CancellationToken);
            return DriverHarness.Response(("a", "2"));
        };

        var pass = PassWhenDueAsync(h, time);
        await Eventually.TrueAsync(() => h.ProviderService.Requests.Count == 2, "the provider to be called a second time");
        Assert.False(pass.IsCompleted);
        time.Advance(TimeSpan.FromSeconds(61)); // --provider-timeout 30s plus 30s
        var result = await pass.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal((1, 0, 1), (result.Due, result.Fetched, result.Failed));
        Assert.Equal("1", File.ReadAllText(Path.Combine(target, "a")));
        Assert.NotNull(MountTable.At(target));
    }

    [Fact]
    public async Task Reconciler_OnItsOwnSchedule_RotatesEveryIntervalWithSpreadStarts()
    {
        var time = new FakeTimeProvider();
        await using var h = await StartAsync(time);
        var targets = new[] { await PublishNewAsync(h), await PublishNewAsync(h), await PublishNewAsync(h) };
        h.ServeFiles(("a", "2"));

        time.Advance(TimeSpan.FromMinutes(2)); // the pass: starts spread over the next minute
        await Task.Delay(100);
        time.Advance(TimeSpan.FromMinutes(1));

        await Eventually.TrueAsync(() => targets.All(t => File.ReadAllText(Path.Combine(t, "a")) == "2"), "every volume to be rotated");
        Assert.Equal(6, h.ProviderService.Requests.Count);
    }

    [Fact]
    public async Task Republish_DuringAReconcile_WaitsForIt_AndFindsTheVolumeFresh()
    {
        var time = new FakeTimeProvider();
        await using var h = await StartAsync(time);
        var target = h.NewTarget();
        var request = DriverHarness.PublishRequest(target);
        await h.PublishAsync(request);
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        h.ProviderService.Handler = async (_, _) =>
        {
            await gate.Task;
            return DriverHarness.Response(("a", "2"));
        };

        time.Advance(TimeSpan.FromMinutes(2.5)); // due for kubelet's republish too (2m)
        var pass = h.Reconciler.RunOnceAsync();
        await Eventually.TrueAsync(() => h.ProviderService.Requests.Count == 2, "the provider to be called a second time");
        var republish = h.PublishAsync(request);
        await Task.Delay(100);
        Assert.False(republish.IsCompleted);
        gate.SetResult();
        await republish;
        await pass;

        Assert.Equal(2, h.ProviderService.Requests.Count);
        Assert.Equal("2", File.ReadAllText(Path.Combine(target, "a")));
    }

    [Fact]
    public async Task Reconcile_AfterADriverRestart_RotatesTheVolumesPublishedBefore_AndUnpublishWorks()
    {
        var time = new FakeTimeProvider();
        await using var h = await StartAsync(time);
        var target = await PublishNewAsync(h);

        await h.RestartDriverAsync();
        h.ServeFiles(("a", "2"));
        var pass = await PassWhenDueAsync(h, time);

        Assert.Equal((1, 1, 1), (pass.Volumes, pass.Due, pass.Fetched));
        Assert.Equal("2", File.ReadAllText(Path.Combine(target, "a")));
        var afterRestart = h.ProviderService.Requests.Last();
        Assert.Equal([("secret/a", "v-1")], afterRestart.CurrentObjectVersion.Select(v => (v.Id, v.Version)));
        Assert.Contains("\"csi.storage.k8s.io/pod.name\":\"web\"", afterRestart.Attributes, StringComparison.Ordinal);
        await h.UnpublishAsync(target);
        Assert.Null(MountTable.At(target));
        Assert.Empty(Directory.GetFiles(h.StateDir));
        Assert.Equal(0, (await h.Reconciler.RunOnceAsync()).Volumes);
    }

    [Fact]
    public async Task Reconcile_WithCsiDriverTokenRequests_PassesFreshTokensForEachAudience()
    {
        await using var cluster = await SandboxCluster.StartAsync();
        cluster.SeedTokenRequests(("vault", 900), ("aws", null));
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var (h, _) = await StartPublishedInClusterAsync(cluster, time);
        await using var driver = h;

        var pass = await PassWhenDueAsync(h, time);

        Assert.Equal(1, pass.Fetched);
        using var attributes = JsonDocument.Parse(h.ProviderService.Requests.Last().Attributes);
        var tokens = JsonDocument.Parse(attributes.RootElement.GetProperty("csi.storage.k8s.io/serviceAccount.tokens").GetString()!).RootElement;
        Assert.Equal(["aws", "vault"], tokens.EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal));
        var vault = tokens.GetProperty("vault");
        var jwt = vault.GetProperty("token").GetString()!;
        var claims = JsonDocument.Parse(Base64UrlDecode(jwt.Split('.')[1])).RootElement;
        Assert.Contains(claims.GetProperty("aud").ValueKind == JsonValueKind.Array ? claims.GetProperty("aud").EnumerateArray().Select(a => a.GetString()) : [claims.GetProperty("aud").GetString()], a => a == "vault");
        Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$", vault.GetProperty("expirationTimestamp").GetString());
        Assert.Equal(2, cluster.Sandbox.CountRequests(verb: "create", resource: "serviceaccounts", subresource: "token", @namespace: "default", name: "web-sa"));
        Assert.DoesNotContain(h.Logs.Lines, m => m.Contains(jwt, StringComparison.Ordinal));
        Assert.DoesNotContain(jwt, File.ReadAllText(Assert.Single(Directory.GetFiles(h.StateDir))), StringComparison.Ordinal);

        // The CSIDriver is read once and cached, not on every rotation.
        await PassWhenDueAsync(h, time);
        Assert.Equal(1, cluster.Sandbox.CountRequests(verb: "get", resource: "csidrivers"));
    }

    [Fact]
    public async Task Reconcile_WithoutCsiDriverTokenRequests_SendsNoTokens()
    {
        await using var cluster = await SandboxCluster.StartAsync();
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var (h, target) = await StartPublishedInClusterAsync(cluster, time);
        await using var driver = h;
        h.ServeFiles(("a", "2"));

        var pass = await PassWhenDueAsync(h, time);

        Assert.Equal(1, pass.Fetched);
        Assert.DoesNotContain("serviceAccount.tokens", h.ProviderService.Requests.Last().Attributes, StringComparison.Ordinal);
        Assert.Equal(0, cluster.Sandbox.CountRequests(verb: "create", subresource: "token"));
        Assert.Equal("2", File.ReadAllText(Path.Combine(target, "a")));
        var status = cluster.PodStatus("web-default-spc")!;
        Assert.Equal("""[{"id":"secret/a","version":"v-2"}]""", status["status"]!["objects"]!.ToJsonString());
        await Eventually.TrueAsync(() => cluster.Events().Any(e => (string?)e["reason"] == "SecretRotationComplete"), "a SecretRotationComplete event");
    }

    /// <summary>The class, read now: the directory watcher may report the new file late on a loaded machine.</summary>
    private static void WriteClass(DriverHarness h)
    {
        h.WriteClass("spc");
        ((SecretsStore.Driver.SecretProviderClasses.DirectorySecretProviderClassSource)h.Services.GetRequiredService<SecretsStore.Driver.SecretProviderClasses.ISecretProviderClassSource>()).Reload();
    }

    private static byte[] Base64UrlDecode(string value)
    {
        var s = value.Replace('-', '+').Replace('_', '/');
        return Convert.FromBase64String(s.PadRight(s.Length + ((4 - (s.Length % 4)) % 4), '='));
    }

    private static void InterlockedMax(ref int target, int value)
    {
        int current;
        while ((current = Volatile.Read(ref target)) < value && Interlocked.CompareExchange(ref target, value, current) != current)
        {
        }
    }
}
