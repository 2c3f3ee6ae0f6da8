using System.Net;
using Amazon.Runtime;

namespace Csi.Providers.Aws.SecretsManager;

/// <summary>
/// The SDKs' "standard" retry mode: at most 3 attempts; throttling, 5xx and network failures are retried after a
/// full-jitter exponential backoff (capped at 20 s), paid from a shared retry quota so that an outage does not
/// multiply the load.
/// </summary>
internal sealed class AwsRetryPolicy
{
    public const int MaxAttempts = 3;

    private const int QuotaCapacity = 500;
    private const int RetryCost = 5;
    private const int TimeoutRetryCost = 10;

    private static readonly HashSet<string> ThrottlingCodes = new(StringComparer.Ordinal)
    {
        "Throttling", "ThrottlingException", "ThrottledException", "RequestThrottledException", "TooManyRequestsException",
        "ProvisionedThroughputExceededException", "TransactionInProgressException", "RequestLimitExceeded",
        "BandwidthLimitExceeded", "LimitExceededException", "RequestThrottled", "SlowDown", "PriorRequestNotComplete",
        "EC2ThrottledException",
    };

    private static readonly HashSet<string> TransientCodes = new(StringComparer.Ordinal)
    {
        "RequestTimeout", "RequestTimeoutException", "InternalServiceError", "InternalFailure", "ServiceUnavailable",
    };

    private readonly TimeSpan _baseDelay;
    private readonly TimeSpan _throttleBaseDelay;
    private readonly Lock _lock = new();
    private int _quota = QuotaCapacity;

    public AwsRetryPolicy(TimeSpan? baseDelay = null)
    {
        _baseDelay = baseDelay ?? TimeSpan.FromMilliseconds(100);
        _throttleBaseDelay = baseDelay ?? TimeSpan.FromMilliseconds(500);
    }

    public static bool IsThrottling(AmazonServiceException e) =>
        e.StatusCode == HttpStatusCode.TooManyRequests || (e.ErrorCode is { } code && ThrottlingCodes.Contains(code));

    /// <summary>Whether a failure is worth another attempt, and how long to wait first; null: give up.</summary>
    public TimeSpan? NextDelay(Exception failure, int attempt)
    {
        if (attempt >= MaxAttempts)
        {
            return null;
        }
        var (retryable, throttled, timeout) = failure switch
        {
            AmazonServiceException e when IsThrottling(e) => (true, true, false),
            AmazonServiceException e => ((int)e.StatusCode is 500 or 502 or 503 or 504 || (e.ErrorCode is { } c && TransientCodes.Contains(c)), false, false),
            TimeoutException => (true, false, true),
            HttpRequestException or IOException => (true, false, false),
            _ => (false, false, false),
        };
        if (!retryable)
        {
            return null;
        }
        lock (_lock)
        {
            var cost = timeout ? TimeoutRetryCost : RetryCost;
            if (_quota < cost)
            {
                return null;
            }
            _quota -= cost;
        }
        var ceiling = Math.Min(TimeSpan.FromSeconds(20).Ticks, (throttled ? _throttleBaseDelay : _baseDelay).Ticks * (1L << attempt));
        return TimeSpan.FromTicks((long)(Random.Shared.NextDouble() * ceiling));
    }

    /// <summary>A success pays a little back into the quota.</summary>
    public void Succeeded()
    {
        lock (_lock)
        {
            _quota = Math.Min(QuotaCapacity, _quota + 1);
        }
    }
}
