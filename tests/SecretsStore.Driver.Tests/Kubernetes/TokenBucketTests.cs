using SecretsStore.Driver.Kubernetes;
using SecretsStore.Driver.Tests.Unit;

namespace SecretsStore.Driver.Tests.Kubernetes;

public sealed class TokenBucketTests
{
    private readonly ManualTimeProvider _time = new();

    [Fact]
    public void Reserve_WithinTheBurst_DoesNotWait()
    {
        var bucket = new TokenBucket(qps: 5, burst: 10, _time);

        var waits = Enumerable.Range(0, 10).Select(_ => bucket.Reserve()).ToArray();

        Assert.All(waits, w => Assert.Equal(TimeSpan.Zero, w));
    }

    [Fact]
    public void Reserve_BeyondTheBurst_QueuesAtTheRate()
    {
        var bucket = new TokenBucket(qps: 5, burst: 10, _time);
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
        var bucket = new TokenBucket(qps: 5, burst: 3, _time);
        for (var i = 0; i < 3; i++)
        {
            bucket.Reserve();
        }

        _time.Advance(TimeSpan.FromMinutes(10));

        Assert.Equal([TimeSpan.Zero, TimeSpan.Zero, TimeSpan.Zero], Enumerable.Range(0, 3).Select(_ => bucket.Reserve()));
        Assert.Equal(200, bucket.Reserve().TotalMilliseconds, precision: 3);
    }

    [Fact]
    public void Reserve_PartialRefill_CountsFractionsOfASecond()
    {
        var bucket = new TokenBucket(qps: 10, burst: 1, _time);
        Assert.Equal(TimeSpan.Zero, bucket.Reserve());

        _time.Advance(TimeSpan.FromMilliseconds(50));

        Assert.Equal(50, bucket.Reserve().TotalMilliseconds, precision: 3);
    }

    [Fact]
    public async Task WaitAsync_Cancelled_GivesTheTokenBack()
    {
        var bucket = new TokenBucket(qps: 1, burst: 1, TimeProvider.System);
        await bucket.WaitAsync(default);
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => bucket.WaitAsync(cancelled.Token).AsTask());

        var next = bucket.Reserve();
        Assert.InRange(next, TimeSpan.FromMilliseconds(900), TimeSpan.FromSeconds(1));
    }
}
