namespace SecretsStore.Driver.Kubernetes;

/// <summary>
/// client-go's client-side rate limit: a bucket of <c>burst</c> tokens refilled at <c>qps</c> per second. A caller
/// reserves a token and waits for the time the reservation names, so concurrent callers queue fairly.
/// </summary>
public sealed class TokenBucket
{
    private readonly double _qps;
    private readonly double _burst;
    private readonly TimeProvider _time;
    private readonly Lock _gate = new();
    private double _tokens;
    private DateTimeOffset _last;

    public TokenBucket(double qps, int burst, TimeProvider? time = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(qps);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(burst);
        _qps = qps;
        _burst = burst;
        _time = time ?? TimeProvider.System;
        _tokens = burst;
        _last = _time.GetUtcNow();
    }

    /// <summary>Takes one token; the answer is how long the caller must wait before it may send (zero within the burst).</summary>
    public TimeSpan Reserve()
    {
        lock (_gate)
        {
            var now = _time.GetUtcNow();
            var elapsed = (now - _last).TotalSeconds;
            if (elapsed > 0)
            {
                _tokens = Math.Min(_burst, _tokens + (elapsed * _qps));
                _last = now;
            }
            _tokens -= 1;
            return _tokens >= 0 ? TimeSpan.Zero : TimeSpan.FromSeconds(-_tokens / _qps);
        }
    }

    private void Refund()
    {
        lock (_gate)
        {
            _tokens = Math.Min(_burst, _tokens + 1);
        }
    }

    public async ValueTask WaitAsync(CancellationToken cancellationToken)
    {
        var wait = Reserve();
        if (wait > TimeSpan.Zero)
        {
            try
            {
                await Task.Delay(wait, _time, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                Refund();
                throw;
            }
        }
    }
}
