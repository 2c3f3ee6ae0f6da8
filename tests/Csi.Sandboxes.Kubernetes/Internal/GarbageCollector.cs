namespace Csi.Sandboxes.Kubernetes.Internal;

/// <summary>
/// Runs <see cref="ClusterState.CollectGarbage"/> (and, when emulated, <see cref="ClusterState.ReconcileVolumes"/>) in the
/// background after changes, like kube-controller-manager's garbage collector, namespace controller and volume
/// controllers: asynchronous, eventually consistent, with a way to wait for it.
/// </summary>
internal sealed class GarbageCollector : IAsyncDisposable
{
    private const int MaxPassesPerRound = 10_000;

    private readonly ClusterState _state;
    private readonly SemaphoreSlim _signal = new(0);
    private readonly CancellationTokenSource _stop = new();
    private readonly Lock _gate = new();
    private readonly List<(long Sequence, TaskCompletionSource Done)> _waiters = [];
    private readonly Task _loop;
    private long _requested;
    private volatile bool _enabled;

    public GarbageCollector(ClusterState state, bool enabled)
    {
        _state = state;
        _enabled = enabled;
        _loop = Task.Run(RunAsync);
    }

    public bool Enabled
    {
        get => _enabled;
        set
        {
            _enabled = value;
            if (value)
            {
                Signal();
            }
        }
    }

    public void Signal()
    {
        Interlocked.Increment(ref _requested);
        if (_signal.CurrentCount == 0)
        {
            _signal.Release();
        }
    }

    /// <summary>Completes after a collection round that started after this call has found nothing more to do.</summary>
    public Task WaitAsync(CancellationToken cancellationToken)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_gate)
        {
            _waiters.Add((Interlocked.Increment(ref _requested), done));
        }

        _signal.Release();
        return done.Task.WaitAsync(cancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        try
        {
            await _loop.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }

        lock (_gate)
        {
            foreach (var (_, done) in _waiters)
            {
                done.TrySetCanceled();
            }

            _waiters.Clear();
        }

        _stop.Dispose();
        _signal.Dispose();
    }

    private async Task RunAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            await _signal.WaitAsync(_stop.Token).ConfigureAwait(false);
            var sequence = Interlocked.Read(ref _requested);
            // The emulated volume controllers share the loop (and its waiters) but not the collector's pause switch.
            for (var pass = 0; pass < MaxPassesPerRound && ((_enabled && _state.CollectGarbage()) | _state.ReconcileVolumes()); pass++)
            {
            }

            lock (_gate)
            {
                foreach (var waiter in _waiters.Where(w => w.Sequence <= sequence).ToList())
                {
                    waiter.Done.TrySetResult();
                    _waiters.Remove(waiter);
                }
            }
        }
    }
}
