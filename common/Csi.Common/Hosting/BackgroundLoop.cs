using Microsoft.Extensions.Hosting;

namespace Csi.Common.Hosting;

/// <summary>
/// The one base of every background loop in the suite: StartAsync runs <see cref="RunAsync"/> on the thread pool,
/// StopAsync cancels it and awaits its end (bounded by the host's shutdown token). A loop that throws is logged
/// by the host's caller, not silently lost: the exception surfaces from StopAsync.
/// </summary>
public abstract class BackgroundLoop : IHostedService, IAsyncDisposable
{
    private readonly CancellationTokenSource _stopping = new();
    private Task? _loop;
    private int _disposed;

    /// <summary>Runs until <paramref name="stoppingToken"/> is cancelled.</summary>
    protected abstract Task RunAsync(CancellationToken stoppingToken);

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _loop ??= Task.Run(() => RunAsync(_stopping.Token), CancellationToken.None);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
        => Volatile.Read(ref _disposed) != 0 ? Task.CompletedTask : StopCoreAsync(cancellationToken);

    private async Task StopCoreAsync(CancellationToken cancellationToken)
    {
        if (_loop is null)
        {
            return;
        }
        await _stopping.CancelAsync().ConfigureAwait(false);
        try
        {
            await _loop.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
        {
            // The loop ended by its cancellation path.
        }
    }

    /// <summary>Idempotent: a container that registered the loop under two types disposes it twice.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }
        await StopCoreAsync(CancellationToken.None).ConfigureAwait(false);
        _stopping.Dispose();
        GC.SuppressFinalize(this);
    }

    /// <summary>Exponential backoff with ±20% jitter: attempt 1 waits about <paramref name="initial"/>, capped at <paramref name="max"/>.</summary>
    public static TimeSpan Backoff(int attempt, TimeSpan initial, TimeSpan max)
    {
        var exponent = Math.Min(Math.Max(attempt - 1, 0), 16);
        var baseDelay = Math.Min(initial.TotalMilliseconds * Math.Pow(2, exponent), max.TotalMilliseconds);
        var jitter = 0.8 + (Random.Shared.NextDouble() * 0.4);
        return TimeSpan.FromMilliseconds(baseDelay * jitter);
    }
}
