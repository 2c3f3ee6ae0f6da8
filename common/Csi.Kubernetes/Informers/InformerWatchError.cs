namespace Csi.Kubernetes.Informers;

/// <summary>
/// A failed list or watch as an informer reports it: the error, whether the resourceVersion expired (410 Gone: the
/// informer lists again at once), the version it was at, and for other failures the attempt and the delay before
/// the next one.
/// </summary>
public sealed record InformerWatchError(Exception Error, bool Gone, string? ResourceVersion, int Attempt, TimeSpan Delay);
