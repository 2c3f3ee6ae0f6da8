using System.Text.RegularExpressions;
using Csi.Kubernetes.Models;
using Microsoft.Extensions.Logging;

namespace Csi.Kubernetes.Leader;

/// <summary>
/// client-go's leader election on a coordination.k8s.io/v1 Lease: candidates try every retry period; a holder's
/// claim counts as expired once the lease has not changed for a lease duration on this process's own clock (so
/// clock skew between nodes does not matter); the leader renews every retry period and stops leading when it
/// could not renew within the renew deadline. Writes are optimistic (resourceVersion): two candidates never
/// both win. Give it its own <see cref="KubernetesApiClient"/> so that the work's rate limit cannot starve the
/// renewals (external-provisioner#416).
/// </summary>
public sealed partial class LeaderElector
{
    private readonly KubernetesApiClient _client;
    private readonly LeaderElectionOptions _options;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private LeaseResource? _observed;
    private string? _observedKey;
    private long _observedAt;
    private long _renewedAt;
    private volatile bool _leading;

    public LeaderElector(KubernetesApiClient client, LeaderElectionOptions options, ILogger logger, TimeProvider time)
    {
        if (options.Validate() is { } problem)
        {
            throw new ArgumentException(problem, nameof(options));
        }
        _client = client;
        _options = options;
        _logger = logger;
        _time = time;
    }

    public bool IsLeader => _leading;

    /// <summary>For /healthz/leader-election: false only when this process leads but has not renewed for longer than the lease duration plus the health timeout.</summary>
    public bool IsHealthy
        => !_leading || _time.GetElapsedTime(Interlocked.Read(ref _renewedAt)) <= _options.LeaseDuration + _options.HealthTimeout;

    /// <summary>The lease name the kubernetes-csi sidecars derive from a driver name: every character other than a letter, digit or '-' becomes '-', and a trailing '-' gets an 'X'.</summary>
    public static string LeaseNameFor(string driverName)
    {
        var name = NotNameCharacter().Replace(driverName, "-");
        return name.EndsWith('-') ? name + "X" : name;
    }

    /// <summary>
    /// Acquires the lease, runs <paramref name="whileLeading"/> with a token cancelled when leadership is lost,
    /// and after a loss tries to acquire again. Returns when <paramref name="cancellationToken"/> is cancelled or
    /// the work ends by itself, releasing the lease so that another candidate takes over at once.
    /// </summary>
    public async Task RunAsync(Func<CancellationToken, Task> whileLeading, CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                await AcquireAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }

            using var leading = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            var work = Task.Run(() => whileLeading(leading.Token), CancellationToken.None);
            var renewals = RenewUntilLostAsync(leading.Token);
            var first = await Task.WhenAny(work, renewals).ConfigureAwait(false);
            var lost = first == renewals && !cancellationToken.IsCancellationRequested && await renewals.ConfigureAwait(false);
            await leading.CancelAsync().ConfigureAwait(false);
            _leading = false;
            await IgnoreCancellation(work).ConfigureAwait(false);
            await IgnoreCancellation(renewals).ConfigureAwait(false);
            if (lost)
            {
                LeaderLog.Lost(_logger, _options.Namespace, _options.LeaseName, _options.RenewDeadline.TotalSeconds);
                continue;
            }
            await ReleaseAsync().ConfigureAwait(false);
            if (work.IsFaulted)
            {
                await work.ConfigureAwait(false); // the work's own failure is the caller's to see
            }
            return;
        }
    }

    [GeneratedRegex("[^a-zA-Z0-9-]")]
    private static partial Regex NotNameCharacter();

    private static async Task IgnoreCancellation(Task task)
    {
        try
        {
            await task.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // ended by its cancellation
        }
        catch (Exception) when (task.IsFaulted)
        {
            // surfaced by the caller where it matters
        }
    }

    private async Task AcquireAsync(CancellationToken cancellationToken)
    {
        while (!await TryAcquireOrRenewAsync(cancellationToken).ConfigureAwait(false))
        {
            await Task.Delay(Jittered(_options.RetryPeriod), _time, cancellationToken).ConfigureAwait(false);
        }
        _leading = true;
        LeaderLog.Acquired(_logger, _options.Namespace, _options.LeaseName, _options.Identity);
    }

    /// <summary>Renews every retry period; true when a renewal did not succeed within the renew deadline.</summary>
    private async Task<bool> RenewUntilLostAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            await Task.Delay(_options.RetryPeriod, _time, cancellationToken).ConfigureAwait(false);
            var deadline = _time.GetTimestamp();
            while (true)
            {
                using var attempt = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                attempt.CancelAfter(Max(_options.RenewDeadline - _time.GetElapsedTime(deadline), TimeSpan.FromMilliseconds(1)));
                bool renewed;
                try
                {
                    renewed = await TryAcquireOrRenewAsync(attempt.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
                {
                    renewed = false;
                }
                if (renewed)
                {
                    break;
                }
                if (_time.GetElapsedTime(deadline) + _options.RetryPeriod >= _options.RenewDeadline)
                {
                    return true;
                }
                await Task.Delay(_options.RetryPeriod, _time, cancellationToken).ConfigureAwait(false);
            }
        }
        return false;
    }

    private async Task<bool> TryAcquireOrRenewAsync(CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow();
        try
        {
            var current = await _client.GetAsync(ApiResource.Leases, _options.Namespace, _options.LeaseName, KubernetesJsonContext.Default.LeaseResource, cancellationToken).ConfigureAwait(false);
            if (current is null)
            {
                var created = new LeaseResource
                {
                    Metadata = new ObjectMeta { Name = _options.LeaseName, Namespace = _options.Namespace },
                    Spec = new LeaseSpec
                    {
                        HolderIdentity = _options.Identity,
                        LeaseDurationSeconds = (int)Math.Ceiling(_options.LeaseDuration.TotalSeconds),
                        AcquireTime = LeaseSpec.MicroTime(now),
                        RenewTime = LeaseSpec.MicroTime(now),
                        LeaseTransitions = 0,
                    },
                };
                Observe(await _client.CreateAsync(ApiResource.Leases, _options.Namespace, created, KubernetesJsonContext.Default.LeaseResource, cancellationToken).ConfigureAwait(false));
                Interlocked.Exchange(ref _renewedAt, _time.GetTimestamp());
                return true;
            }

            Observe(current);
            var holder = current.Spec.HolderIdentity;
            var mine = holder == _options.Identity;
            var duration = TimeSpan.FromSeconds(current.Spec.LeaseDurationSeconds ?? (int)_options.LeaseDuration.TotalSeconds);
            if (!mine && !string.IsNullOrEmpty(holder) && _time.GetElapsedTime(_observedAt) < duration)
            {
                LeaderLog.Waiting(_logger, _options.Namespace, _options.LeaseName, holder);
                return false;
            }

            current.Spec.HolderIdentity = _options.Identity;
            current.Spec.LeaseDurationSeconds = (int)Math.Ceiling(_options.LeaseDuration.TotalSeconds);
            current.Spec.RenewTime = LeaseSpec.MicroTime(now);
            if (!mine)
            {
                current.Spec.AcquireTime = LeaseSpec.MicroTime(now);
                current.Spec.LeaseTransitions = (current.Spec.LeaseTransitions ?? 0) + 1;
            }
            Observe(await _client.UpdateAsync(ApiResource.Leases, _options.Namespace, _options.LeaseName, current, KubernetesJsonContext.Default.LeaseResource, cancellationToken).ConfigureAwait(false));
            Interlocked.Exchange(ref _renewedAt, _time.GetTimestamp());
            return true;
        }
        catch (KubernetesApiException e)
        {
            // 409: another candidate wrote first; anything else: try again next period.
            LeaderLog.AttemptFailed(_logger, _options.Namespace, _options.LeaseName, e.Message);
            return false;
        }
    }

    /// <summary>Remembers when the lease last changed, on this process's clock.</summary>
    private void Observe(LeaseResource lease)
    {
        var key = lease.Spec.HolderIdentity + "\u0001" + lease.Spec.RenewTime + "\u0001" + lease.Spec.AcquireTime;
        if (key != _observedKey)
        {
            _observedKey = key;
            _observedAt = _time.GetTimestamp();
        }
        _observed = lease;
    }

    /// <summary>Gives the lease up (holder cleared, duration 1 s) so that a waiting candidate takes it on its next try.</summary>
    private async Task ReleaseAsync()
    {
        if (_observed is not { } lease || lease.Spec.HolderIdentity != _options.Identity)
        {
            return;
        }
        using var timeout = new CancellationTokenSource(_options.RenewDeadline);
        try
        {
            var now = LeaseSpec.MicroTime(_time.GetUtcNow());
            lease.Spec.HolderIdentity = null;
            lease.Spec.LeaseDurationSeconds = 1;
            lease.Spec.RenewTime = now;
            lease.Spec.AcquireTime = now;
            _observed = await _client.UpdateAsync(ApiResource.Leases, _options.Namespace, _options.LeaseName, lease, KubernetesJsonContext.Default.LeaseResource, timeout.Token).ConfigureAwait(false);
            LeaderLog.Released(_logger, _options.Namespace, _options.LeaseName);
        }
        catch (Exception e) when (e is KubernetesApiException or OperationCanceledException)
        {
            LeaderLog.AttemptFailed(_logger, _options.Namespace, _options.LeaseName, e.Message);
        }
    }

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;

    private static TimeSpan Jittered(TimeSpan period) => period * (1 + (Random.Shared.NextDouble() * 1.2));
}
