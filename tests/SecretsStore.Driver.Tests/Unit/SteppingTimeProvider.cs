using Microsoft.Extensions.Time.Testing;

namespace SecretsStore.Driver.Tests.Unit;

/// <summary>
/// The tests' one manual clock (<see cref="FakeTimeProvider"/>: Advance moves wall and monotonic time and fires
/// timers), plus <see cref="StepWallClock"/>, which moves only the wall clock, as an NTP correction or a VM resume does.
/// </summary>
internal sealed class SteppingTimeProvider : FakeTimeProvider
{
    private TimeSpan _wallOffset;

    public SteppingTimeProvider()
        : base(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero))
    {
    }

    public override DateTimeOffset GetUtcNow() => base.GetUtcNow() + _wallOffset;

    public void StepWallClock(TimeSpan by) => _wallOffset += by;
}
