using Csi.Common.Hosting;
using Microsoft.Extensions.Time.Testing;

namespace Csi.Common.Tests;

public sealed class IdleGarbageReleaseTests
{
    private const long MiB = 1024 * 1024;

    private readonly FakeTimeProvider _clock = new();
    private long _allocated = 14 * MiB;
    private int _collections;

    private IdleGarbageRelease Start() => new(_clock, () => _allocated, () => _collections++);

    [Fact]
    public void Releases_the_start_up_garbage_at_the_first_look_even_while_the_first_calls_allocate()
    {
        using var release = Start();
        _allocated += 2 * MiB;

        _clock.Advance(IdleGarbageRelease.FirstLook - TimeSpan.FromMilliseconds(1));
        Assert.Equal(0, _collections);
        _clock.Advance(TimeSpan.FromMilliseconds(1));

        Assert.Equal(1, _collections);
    }

    [Fact]
    public void After_start_waits_while_the_process_allocates_and_releases_at_the_first_quiet_look()
    {
        using var release = Start();
        _clock.Advance(IdleGarbageRelease.FirstLook);
        Assert.Equal(1, _collections);

        for (var i = 0; i < 3; i++)
        {
            _allocated += 2 * MiB;
            _clock.Advance(IdleGarbageRelease.Period);
            Assert.Equal(1, _collections);
        }
        _allocated += IdleGarbageRelease.QuietBytes;
        _clock.Advance(IdleGarbageRelease.Period);

        Assert.Equal(2, _collections);
        Assert.Equal(2, release.Releases);
    }

    [Fact]
    public void An_idle_process_is_not_collected_again_until_it_has_allocated_a_burst()
    {
        using var release = Start();
        _clock.Advance(IdleGarbageRelease.FirstLook);
        Assert.Equal(1, _collections);

        // Scrapes and probes: a little each second, a few MiB over minutes, never a burst in one second.
        for (var i = 0; i < 30; i++)
        {
            _allocated += 100 * 1024;
            _clock.Advance(IdleGarbageRelease.Period);
        }
        Assert.Equal(1, _collections);

        for (var i = 0; i < 20; i++)
        {
            _allocated += 100 * 1024;
            _clock.Advance(IdleGarbageRelease.Period);
        }
        // 50 x 100 KiB since the release passed the burst size, each second quiet: one more release.
        Assert.Equal(2, _collections);
    }

    [Fact]
    public void Stops_looking_once_disposed()
    {
        var release = Start();
        release.Dispose();

        _clock.Advance(TimeSpan.FromMinutes(1));

        Assert.Equal(0, _collections);
    }

    [Fact]
    public void Start_runs_a_full_collection_of_this_process_after_a_burst()
    {
        var before = GC.CollectionCount(GC.MaxGeneration);
        // A burst of garbage: 1,024 arrays of 8 KiB.
        for (var i = 0; i < 1024; i++)
        {
            GC.KeepAlive(new byte[8 * 1024]);
        }

        using var release = IdleGarbageRelease.Start(_clock);
        _clock.Advance(IdleGarbageRelease.FirstLook);

        Assert.Equal(1, release.Releases);
        Assert.True(GC.CollectionCount(GC.MaxGeneration) > before);
    }
}
