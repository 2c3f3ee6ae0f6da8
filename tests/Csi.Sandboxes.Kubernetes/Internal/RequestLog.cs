namespace Csi.Sandboxes.Kubernetes.Internal;

/// <summary>The requests answered so far, oldest first.</summary>
internal sealed class RequestLog
{
    private readonly Lock _gate = new();
    private readonly List<KubernetesRequestLogEntry> _entries = [];

    public void Add(KubernetesRequestLogEntry entry)
    {
        lock (_gate)
        {
            _entries.Add(entry);
        }
    }

    public IReadOnlyList<KubernetesRequestLogEntry> Snapshot()
    {
        lock (_gate)
        {
            return _entries.ToArray();
        }
    }

    public void Clear()
    {
        lock (_gate)
        {
            _entries.Clear();
        }
    }
}
