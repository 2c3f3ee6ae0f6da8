namespace Csi.Common.Hosting;

/// <summary>
/// Returns a burst's memory to the system once the process goes quiet. A node plugin works in bursts (host start,
/// the pods of a new node, a rotation pass) and idles in between; the collector sizes its heap for the burst and,
/// with almost nothing allocated afterwards, never collects again, so the burst's memory would stay resident for
/// the life of the pod. Once a second this compares the bytes allocated so far: after at least
/// <see cref="BurstBytes"/> since the last release, in a second that allocated at most <see cref="QuietBytes"/>,
/// it runs one blocking, compacting collection that decommits what it frees. The first look, a quarter second after
/// start, releases without waiting for quiet: what the host allocated while starting (some 14 MiB) is garbage once
/// it listens, whatever the first calls are doing.
/// Cost: one read of a counter per second; a release is one full collection of a heap of a few MiB, at most once
/// per second and only after a burst.
/// </summary>
public sealed class IdleGarbageRelease : IDisposable
{
    /// <summary>Allocated since the last release before another is worth a full collection.</summary>
    public const long BurstBytes = 4 * 1024 * 1024;

    /// <summary>Allocated within one period for the process to count as quiet (a metrics scrape allocates about 1 KiB).</summary>
    public const long QuietBytes = 256 * 1024;

    public static readonly TimeSpan FirstLook = TimeSpan.FromMilliseconds(250);
    public static readonly TimeSpan Period = TimeSpan.FromSeconds(1);

    private readonly Func<long> _allocatedBytes;
    private readonly Action _release;
    private readonly ITimer _timer;
    private readonly Lock _gate = new();
    private long _lastSample;
    private long _lastRelease;
    private bool _looked;

    /// <param name="clock">Schedules the looks.</param>
    /// <param name="allocatedBytes">Bytes allocated by the process so far, a counter that only grows.</param>
    /// <param name="release">The collection to run when the process is quiet after a burst.</param>
    public IdleGarbageRelease(TimeProvider clock, Func<long> allocatedBytes, Action release)
    {
        ArgumentNullException.ThrowIfNull(clock);
        _allocatedBytes = allocatedBytes ?? throw new ArgumentNullException(nameof(allocatedBytes));
        _release = release ?? throw new ArgumentNullException(nameof(release));
        _lastSample = allocatedBytes();
        _timer = clock.CreateTimer(static state => ((IdleGarbageRelease)state!).Look(), this, FirstLook, Period);
    }

    /// <summary>Starts watching this process's own allocations; dispose to stop.</summary>
    public static IdleGarbageRelease Start(TimeProvider clock)
        => new(clock, static () => GC.GetTotalAllocatedBytes(precise: false), static () => GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true));

    /// <summary>Releases run so far.</summary>
    public int Releases { get; private set; }

    private void Look()
    {
        lock (_gate)
        {
            var allocated = _allocatedBytes();
            var sinceLastLook = allocated - _lastSample;
            _lastSample = allocated;
            var first = !_looked;
            _looked = true;
            if (!first && (allocated - _lastRelease < BurstBytes || sinceLastLook > QuietBytes))
            {
                return;
            }
            _release();
            Releases++;
            _lastRelease = _lastSample = _allocatedBytes();
        }
    }

    public void Dispose() => _timer.Dispose();
}
