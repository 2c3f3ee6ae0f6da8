namespace Csi.Sandboxes.Kubernetes;

/// <summary>The requests answered so far, for tests to count and inspect.</summary>
public sealed partial class KubernetesSandbox
{
    /// <summary>Every answered request, oldest first.</summary>
    public IReadOnlyList<KubernetesRequestLogEntry> RequestLog => _log.Snapshot();

    /// <summary>Counts logged requests matching every given filter.</summary>
    public int CountRequests(
        string? verb = null,
        string? resource = null,
        string? @namespace = null,
        string? name = null,
        int? statusCode = null,
        string? subresource = null,
        string? userAgentContains = null,
        DateTimeOffset? since = null) =>
        CountRequests(e =>
            (verb is null || string.Equals(e.Verb, verb, StringComparison.OrdinalIgnoreCase))
            && (resource is null || e.Resource == resource)
            && (@namespace is null || e.Namespace == @namespace)
            && (name is null || e.Name == name)
            && (statusCode is null || e.StatusCode == statusCode)
            && (subresource is null || e.Subresource == subresource)
            && (userAgentContains is null || (e.UserAgent?.Contains(userAgentContains, StringComparison.Ordinal) ?? false))
            && (since is null || e.Time >= since));

    /// <summary>Counts logged requests matching <paramref name="predicate"/>.</summary>
    public int CountRequests(Func<KubernetesRequestLogEntry, bool> predicate)
    {
        ArgumentNullException.ThrowIfNull(predicate);
        return _log.Snapshot().Count(predicate);
    }

    /// <summary>
    /// The most matching requests that arrived within any sliding <paramref name="window"/> (for asserting a
    /// client's QPS and burst limits).
    /// </summary>
    public int MaxRequestsInWindow(TimeSpan window, Func<KubernetesRequestLogEntry, bool>? predicate = null)
    {
        var times = _log.Snapshot().Where(e => predicate?.Invoke(e) ?? true).Select(e => e.Time).Order().ToList();
        var best = 0;
        var start = 0;
        for (var end = 0; end < times.Count; end++)
        {
            while (times[end] - times[start] >= window)
            {
                start++;
            }

            best = Math.Max(best, end - start + 1);
        }

        return best;
    }

    /// <summary>Forgets the request log.</summary>
    public void ClearRequestLog() => _log.Clear();
}
