namespace Csi.Kubernetes.Models;

/// <summary>One event of a watch stream: ADDED, MODIFIED, DELETED or BOOKMARK with its object (ERROR ends the stream as an exception).</summary>
public sealed record WatchEvent<T>(string Type, T Item);
