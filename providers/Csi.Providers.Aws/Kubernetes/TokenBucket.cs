namespace Csi.Providers.Aws.Kubernetes;

/// <summary>
/// client-go's token-bucket rate limiter (--qps, --burst): up to <c>burst</c> calls at once, refilled at
/// <c>qps</c> per second; a caller that finds it empty waits for its token.
/// </summary>
internal sealed class TokenBucket
{
    private readonly double _qps;
    private readonly double _burst;
    private readonly TimeProvider _time;
    private readonly Lock _lock = new();
    private double _tokens;
    private long _last;

    public TokenBucket(double qps, int burst, TimeProvider? time = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(qps);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(burst);
        _qps = qps;
        _burst = burst;
        _time = time ?? TimeProvider.System;
        _tokens = burst;
        _last = _time.GetTimestamp();
    }

    /// <summary>Takes a token now, or says how long until the token reserved for this caller is there.</summary>
    public TimeSpan Reserve()
    {
        lock (_lock)
        {
            var now = _time.GetTimestamp();
            _tokens = Math.Min(_burst, _tokens + (_time.GetElapsedTime(_last, now).TotalSeconds * _qps));
            _last = now;
            _tokens -= 1;
            return _tokens >= 0 ? TimeSpan.Zero : TimeSpan.FromSeconds(-_tokens / _qps);
        }
    }

    public async Task WaitAsync(CancellationToken cancellationToken)
    {
        var wait = Reserve();
        if (wait > TimeSpan.Zero)
        {
            await Task.Delay(wait, _time, cancellationToken).ConfigureAwait(false);
        }
    }
}
