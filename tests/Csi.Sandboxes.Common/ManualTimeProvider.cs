namespace Csi.Sandboxes.Common;

/// <summary>
/// A clock that only moves when told to, for expiry tests. Only <see cref="GetUtcNow"/> is virtual time;
/// timers and timestamps still follow the system clock.
/// </summary>
public sealed class ManualTimeProvider : TimeProvider
{
    private readonly Lock _gate = new();
    private DateTimeOffset _now;

    public ManualTimeProvider()
        : this(DateTimeOffset.UtcNow)
    {
    }

    public ManualTimeProvider(DateTimeOffset start)
    {
        _now = start.ToUniversalTime();
    }

    public override DateTimeOffset GetUtcNow()
    {
        lock (_gate)
        {
            return _now;
        }
    }

    /// <summary>Moves the clock forward (or backward, for a negative delta).</summary>
    public void Advance(TimeSpan delta)
    {
        lock (_gate)
        {
            _now = _now.Add(delta);
        }
    }

    /// <summary>Sets the clock.</summary>
    public void SetUtcNow(DateTimeOffset value)
    {
        lock (_gate)
        {
            _now = value.ToUniversalTime();
        }
    }
}
