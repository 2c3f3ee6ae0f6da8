using System.Collections.Concurrent;

namespace Csi.Provisioner.Controllers;

/// <summary>
/// PersistentVolumes this provisioner has just saved and its volume informer may not show yet. A claim synced again
/// in that gap (an update that arrived while it was being provisioned) would otherwise call CreateVolume and create
/// its PV a second time (idempotent, but two driver calls and a 409 spent against the API rate limit). An entry
/// lasts until the informer shows the PV or <c>window</c> passes, so a PV deleted meanwhile is not hidden for long.
/// </summary>
public sealed class SavedVolumes
{
    private const int PurgeAbove = 4096;

    private readonly ConcurrentDictionary<string, long> _saved = new(StringComparer.Ordinal);
    private readonly TimeProvider _time;
    private readonly TimeSpan _window;

    public SavedVolumes(TimeProvider time, TimeSpan window)
    {
        _time = time;
        _window = window;
    }

    public int Count => _saved.Count;

    public void Add(string volumeName)
    {
        _saved[volumeName] = _time.GetTimestamp();
        if (_saved.Count > PurgeAbove)
        {
            foreach (var (name, at) in _saved)
            {
                if (_time.GetElapsedTime(at) >= _window)
                {
                    _saved.TryRemove(name, out _);
                }
            }
        }
    }

    /// <summary>True while <paramref name="volumeName"/> was saved less than the window ago.</summary>
    public bool Contains(string volumeName)
    {
        if (!_saved.TryGetValue(volumeName, out var at))
        {
            return false;
        }
        if (_time.GetElapsedTime(at) < _window)
        {
            return true;
        }
        _saved.TryRemove(volumeName, out _);
        return false;
    }

    /// <summary>The informer shows the PV now: the entry has done its work.</summary>
    public void Remove(string volumeName) => _saved.TryRemove(volumeName, out _);
}
