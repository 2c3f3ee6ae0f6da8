using System.Text.Json.Nodes;
using System.Threading.Channels;

namespace Csi.Sandboxes.Kubernetes.Internal;

/// <summary>
/// One open watch: its scope and selectors, and the queue of events the HTTP response drains. Events are offered in
/// commit order under the cluster lock; selector transitions become ADDED/DELETED as the watch cache makes them.
/// </summary>
internal sealed class WatchSubscription(ResourceType view, string? ns, LabelSelector labels, FieldSelector fields, bool allowBookmarks)
{
    private readonly Channel<WatchItem> _queue = Channel.CreateUnbounded<WatchItem>(new UnboundedChannelOptions { SingleReader = true });

    public ResourceType View { get; } = view;

    public bool AllowBookmarks { get; } = allowBookmarks;

    public ChannelReader<WatchItem> Reader => _queue.Reader;

    /// <summary>The resourceVersion of the last item queued (bookmarks are never older than it).</summary>
    public ulong LastQueued { get; private set; }

    public bool Matches(StoredObject o) =>
        (ns is null || string.Equals(o.Namespace, ns, StringComparison.Ordinal)) && labels.Matches(o.Labels) && fields.Matches(o.Fields);

    public void Offer(StoreEvent e)
    {
        switch (e.Type)
        {
            case StoreEventType.Added:
                if (Matches(e.Object))
                {
                    Enqueue(new WatchItem("ADDED", e.Object, e.ResourceVersion));
                }

                break;
            case StoreEventType.Modified:
                var now = Matches(e.Object);
                var before = e.Previous is not null && Matches(e.Previous);
                if (now)
                {
                    Enqueue(new WatchItem(before ? "MODIFIED" : "ADDED", e.Object, e.ResourceVersion));
                }
                else if (before)
                {
                    // Left the selection: the watch cache sends the previous state at the new resourceVersion.
                    Enqueue(new WatchItem("DELETED", e.Previous, e.ResourceVersion));
                }

                break;
            case StoreEventType.Deleted:
                if (Matches(e.Previous ?? e.Object))
                {
                    Enqueue(new WatchItem("DELETED", e.Object, e.ResourceVersion));
                }

                break;
        }
    }

    public void Enqueue(WatchItem item)
    {
        LastQueued = Math.Max(LastQueued, item.ResourceVersion);
        _queue.Writer.TryWrite(item);
    }

    /// <summary>Queues an ERROR event and ends the watch after it.</summary>
    public void Fail(ApiException error)
    {
        _queue.Writer.TryWrite(new WatchItem("ERROR", null, 0) { Status = error.ToStatus() });
        Close();
    }

    public void Close() => _queue.Writer.TryComplete();
}

/// <summary>One line of a watch stream.</summary>
internal sealed record WatchItem(string Type, StoredObject? Object, ulong ResourceVersion)
{
    public JsonObject? Status { get; init; }

    public bool InitialEventsEnd { get; init; }
}
