using Csi.Common.Flags;
using Csi.Common.Hosting;
using SecretsStore.Driver.Diagnostics;
using SecretsStore.Driver.Publishing;

namespace SecretsStore.Driver.Rotation;

/// <summary>
/// Rotation without kubelet (upstream's reconciler before v1.6, in the driver process): every interval it walks
/// the volumes this driver has mounted (also those it took back from --state-dir after a restart) and rotates each
/// one that is due through <see cref="NodePublisher.RotateIfDueAsync"/>, the republish path itself, under the same
/// per-volume lock. The starts are spread over half the interval, at most MaxConcurrency run at once, and each has
/// a deadline, so a node with many volumes does not fetch them all at one instant and one slow provider holds only
/// its own volumes' slots.
/// </summary>
public sealed class RotationReconciler : BackgroundLoop
{
    private readonly NodePublisher _publisher;
    private readonly RotationSettings _settings;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;

    public RotationReconciler(NodePublisher publisher, RotationSettings settings, ILogger<RotationReconciler> logger, TimeProvider time)
    {
        _publisher = publisher;
        _settings = settings;
        _logger = logger;
        _time = time;
    }

    /// <summary>
    /// A volume is rotated by a pass once it last fetched this long ago: the interval less the spread, so that a
    /// volume whose start a pass delayed is due again on the next pass, not one after.
    /// </summary>
    public TimeSpan DueAfter => _settings.Interval - Spread;

    private TimeSpan Spread => _settings.Interval / 2;

    /// <summary>
    /// One pass, now: every due volume is rotated (at most MaxConcurrency at once), each start delayed by a random
    /// share of <paramref name="spread"/> (none by default, for a benchmark or test driving it). Returns the counts.
    /// </summary>
    public async Task<RotationPassResult> RunOnceAsync(TimeSpan spread = default, CancellationToken cancellationToken = default)
    {
        var started = _time.GetTimestamp();
        var targets = _publisher.RotatableVolumes();
        var due = targets.Where(t => _publisher.SinceLastFetch(t) is { } since && since >= DueAfter).ToArray();
        if (due.Length == 0)
        {
            return RotationPassResult.Empty with { Volumes = targets.Count };
        }
        var fetched = 0;
        var notDue = 0;
        var failed = 0;
        var skipped = 0;
        using var slots = new SemaphoreSlim(_settings.MaxConcurrency, _settings.MaxConcurrency);
        await Task.WhenAll(due.Select(async target =>
        {
            if (spread > TimeSpan.Zero)
            {
                await Task.Delay(spread * Random.Shared.NextDouble(), _time, cancellationToken).ConfigureAwait(false);
            }
            await slots.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                switch (await RotateOneAsync(target, cancellationToken).ConfigureAwait(false))
                {
                    case PublishOutcome.Rotated:
                        Interlocked.Increment(ref fetched);
                        break;
                    case PublishOutcome.AlreadyMounted:
                        Interlocked.Increment(ref notDue);
                        break;
                    case PublishOutcome.RotationFailed:
                        Interlocked.Increment(ref failed);
                        break;
                    default:
                        Interlocked.Increment(ref skipped);
                        break;
                }
            }
            finally
            {
                slots.Release();
            }
        })).ConfigureAwait(false);
        var result = new RotationPassResult(targets.Count, due.Length, fetched, notDue, failed, skipped);
        var elapsedMs = (long)_time.GetElapsedTime(started).TotalMilliseconds;
        DriverLog.RotationPassDone(_logger, result.Volumes, result.Due, result.Fetched, result.NotDue, result.Failed, elapsedMs);
        return result;
    }

    protected override async Task RunAsync(CancellationToken stoppingToken)
    {
        var interval = GoDuration.Format(_settings.Interval);
        DriverLog.RotationReconcilerStarted(_logger, interval, _settings.MaxConcurrency);
        using var timer = new PeriodicTimer(_settings.Interval, _time);
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
        {
            await RunOnceAsync(Spread, stoppingToken).ConfigureAwait(false);
        }
    }

    /// <summary>Rotated (fetched), AlreadyMounted (no longer due), RotationFailed, or null/RotationCancelled (unpublished meanwhile).</summary>
    private async Task<PublishOutcome?> RotateOneAsync(string target, CancellationToken stoppingToken)
    {
        using var deadline = new CancellationTokenSource(_settings.VolumeDeadline, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken, deadline.Token);
        try
        {
            var outcome = await _publisher.RotateIfDueAsync(target, DueAfter, linked.Token).ConfigureAwait(false);
            return outcome;
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested && !stoppingToken.IsCancellationRequested)
        {
            DriverLog.RotationTimedOut(_logger, target, (long)_settings.VolumeDeadline.TotalMilliseconds);
            return PublishOutcome.RotationFailed;
        }
        catch (Exception e) when (e is not OperationCanceledException and not OutOfMemoryException)
        {
            // One volume's surprise must not end the loop for the others.
            DriverLog.RotationPassFailed(_logger, target, e.Message);
            return PublishOutcome.RotationFailed;
        }
    }
}
