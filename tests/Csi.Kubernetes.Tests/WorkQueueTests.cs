using Csi.Common.Metrics;
using Csi.Kubernetes.Queues;
using Microsoft.Extensions.Time.Testing;

namespace Csi.Kubernetes.Tests;

/// <summary>client-go's work queue semantics, on a manual clock.</summary>
public sealed class WorkQueueTests
{
    private static readonly TimeSpan Start = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan Max = TimeSpan.FromSeconds(5);

    private readonly FakeTimeProvider _time = new();

    [Fact]
    public async Task Add_TwiceWhileWaiting_IsHandedOutOnce()
    {
        using var queue = new WorkQueue<string>("claims", Start, Max, _time);
        queue.Add("a");
        queue.Add("a");
        queue.Add("b");

        Assert.Equal(2, queue.Length);
        Assert.Equal("a", (await queue.GetAsync(default)).Key);
        Assert.Equal("b", (await queue.GetAsync(default)).Key);
        Assert.Equal(0, queue.Length);
    }

    [Fact]
    public async Task Add_WhileProcessing_WaitsForDone_ThenComesBackOnce()
    {
        using var queue = new WorkQueue<string>("claims", Start, Max, _time);
        queue.Add("a");
        var first = await queue.GetAsync(default);

        queue.Add("a");
        queue.Add("a");
        var second = queue.GetAsync(default).AsTask();
        await Task.Delay(50);
        Assert.False(second.IsCompleted); // no second worker gets a key that is being processed

        queue.Done(first.Key);
        Assert.Equal("a", (await second.WaitAsync(TimeSpan.FromSeconds(5))).Key);
        queue.Done("a");
        Assert.Equal(0, queue.Length);
    }

    [Fact]
    public async Task GetAsync_WaitingWorker_GetsTheNextAddedKey()
    {
        using var queue = new WorkQueue<string>("claims", Start, Max, _time);
        var waiting = queue.GetAsync(default).AsTask();
        Assert.False(waiting.IsCompleted);

        queue.Add("x");

        Assert.Equal(new WorkItem<string>(false, "x"), await waiting.WaitAsync(TimeSpan.FromSeconds(5)));
    }

    [Fact]
    public async Task AddRateLimited_DoublesPerFailure_UpToTheMaximum_AndForgetResets()
    {
        using var queue = new WorkQueue<string>("claims", Start, Max, _time);
        var expected = new[] { 1, 2, 4, 5, 5 };
        foreach (var seconds in expected)
        {
            queue.AddRateLimited("a");
            _time.Advance(TimeSpan.FromSeconds(seconds) - TimeSpan.FromMilliseconds(1));
            Assert.Equal(0, queue.Length);
            _time.Advance(TimeSpan.FromMilliseconds(1));
            Assert.Equal(1, queue.Length);
            queue.Done((await queue.GetAsync(default)).Key);
        }
        Assert.Equal(expected.Length, queue.NumRequeues("a"));

        queue.Forget("a");
        Assert.Equal(0, queue.NumRequeues("a"));
        queue.AddRateLimited("a");
        _time.Advance(Start);
        Assert.Equal(1, queue.Length);
    }

    [Fact]
    public void AddAfter_TheEarlierOfTwoDelaysWins()
    {
        using var queue = new WorkQueue<string>("claims", Start, Max, _time);
        queue.AddAfter("a", TimeSpan.FromSeconds(10));
        queue.AddAfter("a", TimeSpan.FromSeconds(2));
        queue.AddAfter("a", TimeSpan.FromSeconds(5));

        _time.Advance(TimeSpan.FromSeconds(2));
        Assert.Equal(1, queue.Length);
        _time.Advance(TimeSpan.FromSeconds(10));
        Assert.Equal(1, queue.Length);
    }

    [Fact]
    public async Task ShutDown_ReleasesWaitingWorkers_AndDropsDelayedKeys()
    {
        using var queue = new WorkQueue<string>("claims", Start, Max, _time);
        var waiting = queue.GetAsync(default).AsTask();
        queue.AddAfter("later", TimeSpan.FromSeconds(1));

        queue.ShutDown();
        _time.Advance(TimeSpan.FromSeconds(2));

        Assert.True((await waiting.WaitAsync(TimeSpan.FromSeconds(5))).ShutDown);
        Assert.True((await queue.GetAsync(default)).ShutDown);
        queue.Add("after");
        Assert.Equal(0, queue.Length);
    }

    [Fact]
    public async Task GetAsync_Cancelled_LosesNoKey()
    {
        using var queue = new WorkQueue<string>("claims", Start, Max, _time);
        using var cancel = new CancellationTokenSource();
        var waiting = queue.GetAsync(cancel.Token).AsTask();
        await cancel.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiting);

        queue.Add("a");

        Assert.Equal("a", (await queue.GetAsync(default)).Key);
    }

    [Fact]
    public async Task ManyWorkers_NeverHoldTheSameKeyAtOnce()
    {
        using var queue = new WorkQueue<int>("volumes", Start, Max, _time);
        var holding = new int[10];
        var overlaps = 0;
        var processed = 0;
        using var stop = new CancellationTokenSource();
        var workers = Enumerable.Range(0, 8).Select(_ => Task.Run(async () =>
        {
            while (true)
            {
                var item = await queue.GetAsync(default);
                if (item.ShutDown)
                {
                    return;
                }
                if (Interlocked.Increment(ref holding[item.Key]) > 1)
                {
                    Interlocked.Increment(ref overlaps);
                }
                await Task.Yield();
                Interlocked.Decrement(ref holding[item.Key]);
                Interlocked.Increment(ref processed);
                queue.Done(item.Key);
            }
        })).ToArray();

        for (var round = 0; round < 500; round++)
        {
            queue.Add(round % 10);
        }
        while (queue.Length > 0)
        {
            await Task.Delay(10);
        }
        await Task.Delay(50);
        queue.ShutDown();
        await Task.WhenAll(workers).WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal(0, overlaps);
        Assert.InRange(processed, 10, 500);
    }

    [Fact]
    public async Task Metrics_UseClientGosNames()
    {
        var metrics = new MetricsRegistry();
        using var queue = new WorkQueue<string>("claims", Start, Max, _time, metrics);
        queue.Add("a");
        queue.Add("b");
        queue.AddRateLimited("c");
        queue.Done((await queue.GetAsync(default)).Key);

        var text = metrics.Render();
        Assert.Contains("workqueue_depth{name=\"claims\"} 1\n", text, StringComparison.Ordinal);
        Assert.Contains("workqueue_adds_total{name=\"claims\"} 2\n", text, StringComparison.Ordinal);
        Assert.Contains("workqueue_retries_total{name=\"claims\"} 1\n", text, StringComparison.Ordinal);
        Assert.Contains("workqueue_queue_duration_seconds_count{name=\"claims\"} 1\n", text, StringComparison.Ordinal);
        Assert.Contains("workqueue_work_duration_seconds_count{name=\"claims\"} 1\n", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TwoQueues_OnOneRegistry_ShareTheFamilies_EachWithItsOwnName()
    {
        var metrics = new MetricsRegistry();
        using var claims = new WorkQueue<string>("claims", Start, Max, _time, metrics);
        using var volumes = new WorkQueue<string>("volumes", Start, Max, _time, metrics);
        claims.Add("a");
        volumes.Add("b");
        volumes.Add("c");
        claims.Done((await claims.GetAsync(default)).Key);

        var text = metrics.Render();
        Assert.Contains("workqueue_adds_total{name=\"claims\"} 1\n", text, StringComparison.Ordinal);
        Assert.Contains("workqueue_adds_total{name=\"volumes\"} 2\n", text, StringComparison.Ordinal);
        Assert.Equal(1, text.Split('\n').Count(l => l == "# TYPE workqueue_depth gauge"));
    }
}
