using Csi.Providers.Aws.Kubernetes;

namespace Csi.Providers.Aws.Tests.Unit;

public sealed class TokenBucketTests
{
    private sealed class ManualClock : TimeProvider
    {
        private long _ticks;

        public override long TimestampFrequency => TimeSpan.TicksPerSecond;

        public override long GetTimestamp() => _ticks;

        public void Advance(TimeSpan by) => _ticks += by.Ticks;
    }

    [Fact]
    public void Burst_IsFree_ThenCallsArePacedAtQps()
    {
        var clock = new ManualClock();
        var bucket = new TokenBucket(qps: 5, burst: 10, clock);
        for (var i = 0; i < 10; i++)
        {
            Assert.Equal(TimeSpan.Zero, bucket.Reserve());
        }
        Assert.Equal(TimeSpan.FromMilliseconds(200), bucket.Reserve());
        Assert.Equal(TimeSpan.FromMilliseconds(400), bucket.Reserve());
    }

    [Fact]
    public void Tokens_RefillOverTime_UpToTheBurst()
    {
        var clock = new ManualClock();
        var bucket = new TokenBucket(qps: 2, burst: 3, clock);
        for (var i = 0; i < 3; i++)
        {
            bucket.Reserve();
        }
        clock.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(TimeSpan.Zero, bucket.Reserve());
        Assert.Equal(TimeSpan.Zero, bucket.Reserve());
        Assert.True(bucket.Reserve() > TimeSpan.Zero);
        clock.Advance(TimeSpan.FromHours(1));
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(TimeSpan.Zero, bucket.Reserve());
        }
        Assert.True(bucket.Reserve() > TimeSpan.Zero);
    }

    [Fact]
    public async Task WaitAsync_Waits_WhenTheBucketIsEmpty()
    {
        var bucket = new TokenBucket(qps: 20, burst: 1);
        await bucket.WaitAsync(CancellationToken.None);
        var started = System.Diagnostics.Stopwatch.StartNew();
        await bucket.WaitAsync(CancellationToken.None);
        await bucket.WaitAsync(CancellationToken.None);
        Assert.True(started.Elapsed >= TimeSpan.FromMilliseconds(80), started.Elapsed.ToString());
    }
}
