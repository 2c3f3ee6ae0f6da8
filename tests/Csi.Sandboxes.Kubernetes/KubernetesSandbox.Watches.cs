namespace Csi.Sandboxes.Kubernetes;

/// <summary>Watches: counted, waited for, sent bookmarks, ended or expired, and the watch cache compacted.</summary>
public sealed partial class KubernetesSandbox
{
    /// <summary>Open watches, optionally of one resource (plural, e.g. <c>pods</c>).</summary>
    public int ActiveWatchCount(string? resource = null) => _state.CountWatchers(resource);

    /// <summary>Waits until at least <paramref name="count"/> watches (of <paramref name="resource"/>) are open.</summary>
    public async Task WaitForWatchesAsync(int count, string? resource = null, TimeSpan? timeout = null, CancellationToken cancellationToken = default)
    {
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(timeout ?? TimeSpan.FromSeconds(10));
        while (ActiveWatchCount(resource) < count)
        {
            await Task.Delay(10, limit.Token).ConfigureAwait(false);
        }
    }

    /// <summary>Sends a BOOKMARK at the current resourceVersion to every watch that allows bookmarks, now.</summary>
    public void SendBookmarks() => _state.SendBookmarks();

    /// <summary>Ends every open watch cleanly, as an API server restart or a timeout would.</summary>
    public void EndWatches() => _state.EndWatches(expire: false);

    /// <summary>Sends every open watch an ERROR event with a 410 Expired Status, then ends it.</summary>
    public void ExpireWatches() => _state.EndWatches(expire: true);

    /// <summary>Forgets all retained events: watches and exact lists from any earlier resourceVersion get 410.</summary>
    public void CompactWatchCache() => _state.Compact();
}
