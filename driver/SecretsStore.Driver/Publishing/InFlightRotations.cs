namespace SecretsStore.Driver.Publishing;

/// <summary>
/// The rotations running now, one per target, so that an unpublish stops the rotation of its volume at once
/// instead of waiting behind its provider call: the rotation's token is cancelled, also when the rotation
/// starts while the unpublish waits.
/// </summary>
public sealed class InFlightRotations
{
    private readonly Dictionary<string, Entry> _entries = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();

    /// <summary>A rotation of <paramref name="target"/> begins; its token follows the caller's and any unpublish of the target.</summary>
    public Rotation Start(string target, CancellationToken caller)
    {
        var source = CancellationTokenSource.CreateLinkedTokenSource(caller);
        lock (_lock)
        {
            var entry = GetOrAdd(target);
            entry.Rotation = source;
            if (entry.Unpublishing > 0)
            {
                source.Cancel();
            }
        }
        return new Rotation(this, target, source, caller);
    }

    /// <summary>An unpublish of <paramref name="target"/> begins: the running rotation, and any that starts before the unpublish ends, is cancelled.</summary>
    public IDisposable BeginUnpublish(string target)
    {
        lock (_lock)
        {
            var entry = GetOrAdd(target);
            entry.Unpublishing++;
            entry.Rotation?.Cancel();
        }
        return new Unpublish(this, target);
    }

    private Entry GetOrAdd(string target)
    {
        if (!_entries.TryGetValue(target, out var entry))
        {
            entry = new Entry();
            _entries[target] = entry;
        }
        return entry;
    }

    private void End(string target, CancellationTokenSource? rotation)
    {
        lock (_lock)
        {
            if (!_entries.TryGetValue(target, out var entry))
            {
                return;
            }
            if (rotation is null)
            {
                entry.Unpublishing--;
            }
            else if (ReferenceEquals(entry.Rotation, rotation))
            {
                entry.Rotation = null;
            }
            if (entry.Rotation is null && entry.Unpublishing == 0)
            {
                _entries.Remove(target);
            }
        }
    }

    private sealed class Entry
    {
        public CancellationTokenSource? Rotation { get; set; }

        public int Unpublishing { get; set; }
    }

    private sealed class Unpublish(InFlightRotations owner, string target) : IDisposable
    {
        private int _disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0)
            {
                owner.End(target, rotation: null);
            }
        }
    }

    /// <summary>One running rotation: its token, and whether an unpublish (not the caller) cancelled it.</summary>
    public sealed class Rotation : IDisposable
    {
        private readonly InFlightRotations _owner;
        private readonly string _target;
        private readonly CancellationTokenSource _source;
        private readonly CancellationToken _caller;

        internal Rotation(InFlightRotations owner, string target, CancellationTokenSource source, CancellationToken caller)
        {
            _owner = owner;
            _target = target;
            _source = source;
            _caller = caller;
        }

        public CancellationToken Token => _source.Token;

        public bool CancelledByUnpublish => _source.IsCancellationRequested && !_caller.IsCancellationRequested;

        public void Dispose()
        {
            _owner.End(_target, _source);
            _source.Dispose();
        }
    }
}
