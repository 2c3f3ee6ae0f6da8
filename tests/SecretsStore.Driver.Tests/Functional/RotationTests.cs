using Csi.Testing;

namespace SecretsStore.Driver.Tests.Functional;

/// <summary>Republish (requiresRepublish) with rotation on: fetch again when due, rewrite only what changed.</summary>
public sealed class RotationTests
{
    [Fact]
    public async Task Republish_WhenDue_FetchesWithCurrentVersions_AndRewritesOnlyChangedFiles()
    {
        await using var h = await DriverHarness.StartAsync("--enable-secret-rotation", "--rotation-poll-interval=1ms");
        h.WriteClass("spc");
        h.ServeFiles(("a", "1"), ("b", "1"));
        var target = h.NewTarget();
        await h.PublishAsync(DriverHarness.PublishRequest(target));
        var dataBefore = new FileInfo(Path.Combine(target, "..data")).LinkTarget;
        var inodeA = FileInode.Of(Path.Combine(target, "a"));

        h.ServeFiles(("a", "1"), ("b", "2"));
        await Task.Delay(5);
        await h.PublishAsync(DriverHarness.PublishRequest(target));

        Assert.Equal("2", File.ReadAllText(Path.Combine(target, "b")));
        Assert.Equal("1", File.ReadAllText(Path.Combine(target, "a")));
        Assert.Equal(inodeA, FileInode.Of(Path.Combine(target, "a")));
        Assert.NotEqual(dataBefore, new FileInfo(Path.Combine(target, "..data")).LinkTarget);
        var second = h.ProviderService.Requests.Last();
        Assert.Equal([("secret/a", "v-1"), ("secret/b", "v-1")], second.CurrentObjectVersion.Select(v => (v.Id, v.Version)));
    }

    [Fact]
    public async Task Republish_WhenTheProviderFails_KeepsTheMountedContent_AndReportsOk()
    {
        await using var h = await DriverHarness.StartAsync("--enable-secret-rotation", "--rotation-poll-interval=1ms");
        h.WriteClass("spc");
        h.ServeFiles(("a", "good"));
        var target = h.NewTarget();
        await h.PublishAsync(DriverHarness.PublishRequest(target));

        h.ProviderService.Handler = (_, _) => throw new Grpc.Core.RpcException(new Grpc.Core.Status(Grpc.Core.StatusCode.Unavailable, "vault down"));
        await Task.Delay(5);
        await h.PublishAsync(DriverHarness.PublishRequest(target));

        Assert.Equal("good", File.ReadAllText(Path.Combine(target, "a")));
        Assert.NotNull(DriverHarness.MountAt(target));
        Assert.Contains("rotation_reconcile_error_total{provider=\"test\",os_type=\"linux\",error_type=\"GRPCProviderError\"} 1", await Metrics(h), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Republish_BeforeTheInterval_CallsNothing()
    {
        await using var h = await DriverHarness.StartAsync("--enable-secret-rotation", "--rotation-poll-interval=1h");
        h.WriteClass("spc");
        h.ServeFiles(("a", "1"));
        var target = h.NewTarget();
        await h.PublishAsync(DriverHarness.PublishRequest(target));

        for (var i = 0; i < 5; i++)
        {
            await h.PublishAsync(DriverHarness.PublishRequest(target));
        }

        Assert.Single(h.ProviderService.Requests);
    }

    [Fact]
    public async Task Republish_WithRotationOff_CallsNothing()
    {
        await using var h = await DriverHarness.StartAsync("--rotation-poll-interval=1ms");
        h.WriteClass("spc");
        h.ServeFiles(("a", "1"));
        var target = h.NewTarget();
        await h.PublishAsync(DriverHarness.PublishRequest(target));
        await Task.Delay(5);
        await h.PublishAsync(DriverHarness.PublishRequest(target));
        Assert.Single(h.ProviderService.Requests);
    }

    [Fact]
    public async Task Unpublish_DuringAHungRotation_ReturnsAtOnce_AndTheLateAnswerWritesNothing()
    {
        await using var h = await DriverHarness.StartAsync("--enable-secret-rotation", "--rotation-poll-interval=1ms", "--provider-timeout=3s");
        h.WriteClass("spc");
        h.ServeFiles(("a", "1"));
        var target = h.NewTarget();
        await h.PublishAsync(DriverHarness.PublishRequest(target));
        var called = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var lateAnswer = new TaskCompletionSource<SecretsStore.Provider.V1Alpha1.MountResponse>(TaskCreationOptions.RunContinuationsAsynchronously);
        // A provider that hangs and ignores cancellation: it answers only when the test says so.
        h.ProviderService.Handler = (_, _) =>
        {
            called.TrySetResult();
            return lateAnswer.Task;
        };
        await Task.Delay(5);

        var republish = h.PublishAsync(DriverHarness.PublishRequest(target));
        await called.Task.WaitAsync(TimeSpan.FromSeconds(10));
        var watch = System.Diagnostics.Stopwatch.StartNew();
        await h.UnpublishAsync(target);
        watch.Stop();
        lateAnswer.SetResult(DriverHarness.Response(("a", "late"), ("b", "late")));
        await republish;

        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(1), $"unpublish took {watch.Elapsed.TotalMilliseconds:0} ms behind the hung rotation");
        Assert.Null(DriverHarness.MountAt(target));
        Assert.False(Directory.Exists(target));
        var metrics = await Metrics(h);
        Assert.DoesNotContain("rotation_reconcile_error_total{", metrics, StringComparison.Ordinal);
        Assert.DoesNotContain("SecretRotationFailed", h.Logs.All, StringComparison.Ordinal);
    }

    private static async Task<string> Metrics(DriverHarness h)
    {
        using var http = new HttpClient();
        return await http.GetStringAsync(new Uri(h.MetricsAddress, "/metrics"));
    }
}
