using Csi.Common.Hosting;

namespace Csi.Common.Tests;

public sealed class BackgroundLoopTests
{
    [Theory]
    [InlineData(1, 1000)]
    [InlineData(2, 2000)]
    [InlineData(4, 8000)]
    [InlineData(10, 30000)]
    [InlineData(1000, 30000)]
    public void Backoff_DoublesUpToTheCap_WithinTwentyPercentJitter(int attempt, double expectedMs)
    {
        for (var i = 0; i < 50; i++)
        {
            var delay = BackgroundLoop.Backoff(attempt, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(30)).TotalMilliseconds;
            Assert.InRange(delay, expectedMs * 0.8, expectedMs * 1.2);
        }
    }

    [Fact]
    public async Task StopAsync_CancelsTheLoop_AndAwaitsIt()
    {
        var loop = new CountingLoop();
        await loop.StartAsync(default);
        await loop.Running.Task;

        await loop.StopAsync(default);

        Assert.True(loop.Ended);
        await loop.DisposeAsync();
        await loop.DisposeAsync();
    }

    private sealed class CountingLoop : BackgroundLoop
    {
        public TaskCompletionSource Running { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public bool Ended { get; private set; }

        protected override async Task RunAsync(CancellationToken stoppingToken)
        {
            Running.TrySetResult();
            try
            {
                await Task.Delay(Timeout.Infinite, stoppingToken);
            }
            finally
            {
                Ended = true;
            }
        }
    }
}
