using Csi.Common.RateLimiting;
using Microsoft.Extensions.Time.Testing;

namespace Csi.Common.Tests;

public sealed class TokenBucketTests
{
    private readonly FakeTimeProvider _clock = new();

    [Fact]
    public void Reserve_WithinTheBurst_DoesNotWait()
    {
        var bucket = new TokenBucket(qps: 5, burst: 10, _clock);

        var waits = Enumerable.Range(0, 10).Select(_ => bucket.Reserve()).ToArray();

        Assert.All(waits, w => Assert.Equal(TimeSpan.Zero, w));
    }

    [Fact]
    public void Reserve_BeyondTheBurst_QueuesAtTheRate()
    {
        var bucket = new TokenBucket(qps: 5, burst: 10, _clock);
        for (var i = 0; i < 10; i++)
        {
            bucket.Reserve();
        }

        Assert.Equal(200, bucket.Reserve().TotalMilliseconds, precision: 3);
        Assert.Equal(400, bucket.Reserve().TotalMilliseconds, precision: 3);
        Assert.Equal(600, bucket.Reserve().TotalMilliseconds, precision: 3);
    }

    [Fact]
    public void Reserve_AfterIdling_RefillsUpToTheBurstOnly()
    {
        var bucket = new TokenBucket(qps: 5, burst: 3, _clock);
        for (var i = 0; i < 3; i++)
        {
            bucket.Reserve();
        }

        _clock.Advance(TimeSpan.FromMinutes(10));

        Assert.Equal([TimeSpan.Zero, TimeSpan.Zero, TimeSpan.Zero], Enumerable.Range(0, 3).Select(_ => bucket.Reserve()));
        Assert.Equal(200, bucket.Reserve().TotalMilliseconds, precision: 3);
    }

    [Fact]
    public void Reserve_PartialRefill_CountsFractionsOfASecond()
    {
        var bucket = new TokenBucket(qps: 10, burst: 1, _clock);
        Assert.Equal(TimeSpan.Zero, bucket.Reserve());

        _clock.Advance(TimeSpan.FromMilliseconds(50));

        Assert.Equal(50, bucket.Reserve().TotalMilliseconds, precision: 3);
    }

    [Fact]
    public async Task WaitAsync_Cancelled_GivesTheTokenBack()
    {
        var bucket = new TokenBucket(qps: 1, burst: 1, _clock);
        await bucket.WaitAsync(default);
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => bucket.WaitAsync(cancelled.Token).AsTask());

        Assert.Equal(TimeSpan.FromSeconds(1), bucket.Reserve());
    }

    [Fact]
    public async Task WaitAsync_WhenTheBucketIsEmpty_WaitsAtLeastTheReservedTime()
    {
        var bucket = new TokenBucket(qps: 20, burst: 1, TimeProvider.System);
        await bucket.WaitAsync(CancellationToken.None);
        var started = System.Diagnostics.Stopwatch.StartNew();
        await bucket.WaitAsync(CancellationToken.None);
        await bucket.WaitAsync(CancellationToken.None);

        // Only the lower bound holds on a loaded machine.
        Assert.True(started.Elapsed >= TimeSpan.FromMilliseconds(80), started.Elapsed.ToString());
    }
}
