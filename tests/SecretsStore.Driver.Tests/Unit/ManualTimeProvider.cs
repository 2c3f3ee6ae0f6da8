namespace SecretsStore.Driver.Tests.Unit;

/// <summary>
/// A clock the test moves: <see cref="Advance"/> lets time pass (wall and monotonic clocks together);
/// <see cref="StepWallClock"/> moves only the wall clock, as an NTP correction or a VM resume does.
/// </summary>
internal sealed class ManualTimeProvider : TimeProvider
{
    private DateTimeOffset _now = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private long _ticks = TimeSpan.TicksPerDay;

    public override DateTimeOffset GetUtcNow() => _now;

    public override long TimestampFrequency => TimeSpan.TicksPerSecond;

    public override long GetTimestamp() => _ticks;

    public void Advance(TimeSpan by)
    {
        _now += by;
        _ticks += by.Ticks;
    }

    public void StepWallClock(TimeSpan by) => _now += by;
}
