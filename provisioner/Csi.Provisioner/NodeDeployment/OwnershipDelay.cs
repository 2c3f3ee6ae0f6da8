namespace Csi.Provisioner.NodeDeployment;

/// <summary>
/// How long a node's provisioner waits before it tries to take an Immediate claim (sets the selected node to itself).
/// Attempt n waits a uniformly random time in [base, min(max, base * 2^(n+1))): the first attempt of every node falls
/// between base and twice base, so the nodes rarely collide, and a node that lost or failed waits longer next time.
/// A node whose capacity for the class is known to be 0 waits the maximum, so that nodes with room win the race.
/// </summary>
public static class OwnershipDelay
{
    public static TimeSpan For(int attempt, TimeSpan baseDelay, TimeSpan maxDelay, bool knownFull, double random)
    {
        if (knownFull)
        {
            return maxDelay;
        }
        var exponent = Math.Clamp(attempt + 1, 1, 30);
        var upperTicks = Math.Min((double)maxDelay.Ticks, baseDelay.Ticks * Math.Pow(2, exponent));
        var ticks = baseDelay.Ticks + (Math.Clamp(random, 0, 1) * Math.Max(0, upperTicks - baseDelay.Ticks));
        return TimeSpan.FromTicks((long)Math.Min(ticks, maxDelay.Ticks));
    }
}
