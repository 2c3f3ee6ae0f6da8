namespace Csi.Kubernetes.Leader;

/// <summary>
/// Where the lease lives and the timings of client-go's leader election, with the defaults of the kubernetes-csi
/// sidecars (--leader-election-lease-duration 15s, --leader-election-renew-deadline 10s,
/// --leader-election-retry-period 5s).
/// </summary>
public sealed record LeaderElectionOptions(string LeaseName, string Namespace, string Identity)
{
    /// <summary>How long a holder's claim stands after its last renewal, for the other candidates.</summary>
    public TimeSpan LeaseDuration { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>How long the leader keeps trying to renew before it gives up leading.</summary>
    public TimeSpan RenewDeadline { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>How often candidates try to acquire and the leader renews.</summary>
    public TimeSpan RetryPeriod { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>How far past the lease duration a leader that has not renewed still counts as healthy (client-go's healthz adaptor timeout, 20 s in the sidecars).</summary>
    public TimeSpan HealthTimeout { get; init; } = TimeSpan.FromSeconds(20);

    /// <summary>The first timing that is wrong, as the sidecars check it: lease duration above renew deadline, renew deadline above retry period times 1.2.</summary>
    public string? Validate()
    {
        if (RetryPeriod <= TimeSpan.Zero)
        {
            return "--leader-election-retry-period must be positive";
        }
        if (RenewDeadline <= RetryPeriod * 1.2)
        {
            return "--leader-election-renew-deadline must be greater than --leader-election-retry-period times 1.2";
        }
        if (LeaseDuration <= RenewDeadline)
        {
            return "--leader-election-lease-duration must be greater than --leader-election-renew-deadline";
        }
        return null;
    }
}
