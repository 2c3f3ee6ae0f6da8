using System.Diagnostics.CodeAnalysis;
using Csi.Common.Metrics;

namespace Csi.Kubernetes.Queues;

/// <summary>
/// A work queue with client-go's semantics: a key waits at most once (adding it again while it waits is a no-op),
/// no two workers hold the same key (a key added while it is processed is queued again when the worker calls
/// <see cref="Done"/>), delayed adds, and per-key exponential backoff for failures (start * 2^n, capped), reset by
/// <see cref="Forget"/>. Keys are handed to waiting workers in the order they became ready.
/// </summary>
[SuppressMessage("Naming", "CA1711:Identifiers should not have incorrect suffix", Justification = "client-go's name, which users of the upstream sidecars know")]
public sealed class WorkQueue<TKey> : IDisposable
    where TKey : notnull
{
    private static readonly double[] DurationBuckets = [1e-8, 1e-7, 1e-6, 1e-5, 1e-4, 1e-3, 1e-2, 0.1, 1, 10];

    private readonly Lock _lock = new();
    private readonly Queue<TKey> _queue = new();
    private readonly HashSet<TKey> _dirty = [];
    private readonly HashSet<TKey> _processing = [];
    private readonly Dictionary<TKey, long> _queuedAt = [];
    private readonly Dictionary<TKey, long> _startedAt = [];
    private readonly Dictionary<TKey, int> _failures = [];
    private readonly Dictionary<TKey, (DateTimeOffset Due, ITimer Timer)> _waiting = [];
    private readonly LinkedList<TaskCompletionSource<WorkItem<TKey>>> _workers = new();
    private readonly string _name;
    private readonly TimeSpan _retryStart;
    private readonly TimeSpan _retryMax;
    private readonly TimeProvider _time;
    private readonly Gauge? _depth;
    private readonly Counter? _adds;
    private readonly Counter? _retries;
    private readonly Histogram? _queueDuration;
    private readonly Histogram? _workDuration;
    private bool _shutDown;

    /// <param name="name">the queue's name in metrics (upstream: "claims", "volumes").</param>
    /// <param name="retryIntervalStart">the first failure's delay (upstream's --retry-interval-start).</param>
    /// <param name="retryIntervalMax">the longest delay (upstream's --retry-interval-max).</param>
    /// <param name="time">the clock for delays and durations.</param>
    /// <param name="metrics">where client-go's workqueue metrics go, if anywhere.</param>
    public WorkQueue(string name, TimeSpan retryIntervalStart, TimeSpan retryIntervalMax, TimeProvider time, MetricsRegistry? metrics = null)
    {
        if (retryIntervalStart <= TimeSpan.Zero || retryIntervalMax < retryIntervalStart)
        {
            throw new ArgumentOutOfRangeException(nameof(retryIntervalStart), $"work queue {name}: the retry interval start must be positive and not above the maximum");
        }
        _name = name;
        _retryStart = retryIntervalStart;
        _retryMax = retryIntervalMax;
        _time = time;
        if (metrics is not null)
        {
            _depth = metrics.Gauge("workqueue_depth", "Current depth of workqueue", "name");
            _adds = metrics.Counter("workqueue_adds_total", "Total number of adds handled by workqueue", "name");
            _retries = metrics.Counter("workqueue_retries_total", "Total number of retries handled by workqueue", "name");
            _queueDuration = metrics.Histogram("workqueue_queue_duration_seconds", "How long in seconds an item stays in workqueue before being requested.", DurationBuckets, "name");
            _workDuration = metrics.Histogram("workqueue_work_duration_seconds", "How long in seconds processing an item from workqueue takes.", DurationBuckets, "name");
        }
    }

    /// <summary>Keys ready and not yet handed to a worker.</summary>
    public int Length
    {
        get
        {
            lock (_lock)
            {
                return _queue.Count;
            }
        }
    }

    public void Add(TKey key)
    {
        TaskCompletionSource<WorkItem<TKey>>? worker = null;
        lock (_lock)
        {
            if (_shutDown || !_dirty.Add(key))
            {
                return;
            }
            _adds?.Inc(_name);
            _queuedAt[key] = _time.GetTimestamp();
            if (_processing.Contains(key))
            {
                return; // queued again by Done
            }
            worker = HandOutOrQueue(key);
        }
        worker?.TrySetResult(new WorkItem<TKey>(false, key));
    }

    /// <summary>Adds the key once <paramref name="delay"/> has passed; an earlier pending add of the same key wins.</summary>
    public void AddAfter(TKey key, TimeSpan delay)
    {
        if (delay <= TimeSpan.Zero)
        {
            Add(key);
            return;
        }
        lock (_lock)
        {
            if (_shutDown)
            {
                return;
            }
            var due = _time.GetUtcNow() + delay;
            if (_waiting.TryGetValue(key, out var pending))
            {
                if (pending.Due <= due)
                {
                    return;
                }
                pending.Timer.Dispose();
            }
            var timer = _time.CreateTimer(static state => ((WorkQueue<TKey>)((object[])state!)[0]).Fire((TKey)((object[])state!)[1]), new object[] { this, key }, delay, Timeout.InfiniteTimeSpan);
            _waiting[key] = (due, timer);
        }
    }

    /// <summary>Adds the key after its own backoff: the retry start doubled for each failure since the last <see cref="Forget"/>.</summary>
    public void AddRateLimited(TKey key)
    {
        TimeSpan delay;
        lock (_lock)
        {
            var failures = _failures.TryGetValue(key, out var n) ? n : 0;
            _failures[key] = failures + 1;
            delay = Delay(failures);
        }
        _retries?.Inc(_name);
        AddAfter(key, delay);
    }

    /// <summary>Ends the key's backoff: the next failure waits the retry start again.</summary>
    public void Forget(TKey key)
    {
        lock (_lock)
        {
            _failures.Remove(key);
        }
    }

    public int NumRequeues(TKey key)
    {
        lock (_lock)
        {
            return _failures.TryGetValue(key, out var n) ? n : 0;
        }
    }

    /// <summary>The next ready key (the caller must call <see cref="Done"/> with it), or ShutDown once the queue shut down.</summary>
    public ValueTask<WorkItem<TKey>> GetAsync(CancellationToken cancellationToken)
    {
        TaskCompletionSource<WorkItem<TKey>> waiter;
        LinkedListNode<TaskCompletionSource<WorkItem<TKey>>> node;
        lock (_lock)
        {
            if (_queue.TryDequeue(out var key))
            {
                Started(key);
                return ValueTask.FromResult(new WorkItem<TKey>(false, key));
            }
            if (_shutDown)
            {
                return ValueTask.FromResult(new WorkItem<TKey>(true, default!));
            }
            waiter = new TaskCompletionSource<WorkItem<TKey>>(TaskCreationOptions.RunContinuationsAsynchronously);
            node = _workers.AddLast(waiter);
        }
        if (!cancellationToken.CanBeCanceled)
        {
            return new ValueTask<WorkItem<TKey>>(waiter.Task);
        }
        return WaitAsync(waiter, node, cancellationToken);
    }

    /// <summary>The worker finished the key; if it was added meanwhile, it is queued again.</summary>
    public void Done(TKey key)
    {
        TaskCompletionSource<WorkItem<TKey>>? worker = null;
        lock (_lock)
        {
            if (!_processing.Remove(key))
            {
                return;
            }
            if (_startedAt.Remove(key, out var started))
            {
                _workDuration?.Observe(_time.GetElapsedTime(started).TotalSeconds, _name);
            }
            if (_dirty.Contains(key) && !_shutDown)
            {
                worker = HandOutOrQueue(key);
            }
        }
        worker?.TrySetResult(new WorkItem<TKey>(false, key));
    }

    /// <summary>Stops handing out keys: waiting workers get ShutDown; delayed adds are dropped.</summary>
    public void ShutDown()
    {
        List<TaskCompletionSource<WorkItem<TKey>>> workers;
        lock (_lock)
        {
            if (_shutDown)
            {
                return;
            }
            _shutDown = true;
            foreach (var (_, pending) in _waiting)
            {
                pending.Timer.Dispose();
            }
            _waiting.Clear();
            _queue.Clear();
            _depth?.Set(0, _name);
            workers = [.. _workers];
            _workers.Clear();
        }
        foreach (var worker in workers)
        {
            worker.TrySetResult(new WorkItem<TKey>(true, default!));
        }
    }

    public void Dispose() => ShutDown();

    private TimeSpan Delay(int failures)
    {
        var exponent = Math.Min(failures, 30);
        var ticks = _retryStart.Ticks * Math.Pow(2, exponent);
        return ticks >= _retryMax.Ticks ? _retryMax : TimeSpan.FromTicks((long)ticks);
    }

    private void Fire(TKey key)
    {
        lock (_lock)
        {
            if (!_waiting.Remove(key, out var pending))
            {
                return;
            }
            pending.Timer.Dispose();
        }
        Add(key);
    }

    /// <summary>Under the lock: gives the key to the longest-waiting worker, or queues it.</summary>
    private TaskCompletionSource<WorkItem<TKey>>? HandOutOrQueue(TKey key)
    {
        while (_workers.First is { } first)
        {
            _workers.RemoveFirst();
            if (!first.Value.Task.IsCompleted)
            {
                Started(key);
                return first.Value;
            }
        }
        _queue.Enqueue(key);
        _depth?.Set(_queue.Count, _name);
        return null;
    }

    /// <summary>Under the lock: the key moves from waiting to processing.</summary>
    private void Started(TKey key)
    {
        _dirty.Remove(key);
        _processing.Add(key);
        var now = _time.GetTimestamp();
        if (_queuedAt.Remove(key, out var queued))
        {
            _queueDuration?.Observe(_time.GetElapsedTime(queued, now).TotalSeconds, _name);
        }
        _startedAt[key] = now;
        _depth?.Set(_queue.Count, _name);
    }

    private async ValueTask<WorkItem<TKey>> WaitAsync(TaskCompletionSource<WorkItem<TKey>> waiter, LinkedListNode<TaskCompletionSource<WorkItem<TKey>>> node, CancellationToken cancellationToken)
    {
        await using (cancellationToken.Register(() =>
        {
            lock (_lock)
            {
                if (node.List is null)
                {
                    return; // a key was handed out first: the worker must take it (and call Done)
                }
                _workers.Remove(node);
                waiter.TrySetCanceled(cancellationToken);
            }
        }).ConfigureAwait(false))
        {
            return await waiter.Task.ConfigureAwait(false);
        }
    }
}
