namespace Csi.Sandboxes.Kubernetes;

/// <summary>
/// One answered request, as an audit event would record it. Watches are logged when their stream starts (or fails
/// to), every other request when its answer is complete.
/// </summary>
/// <param name="Time">When the request arrived (sandbox clock).</param>
/// <param name="Verb">Kubernetes verb: get, list, watch, create, update, patch, delete, deletecollection; for non-resource paths the lower-case HTTP method.</param>
/// <param name="Method">HTTP method.</param>
/// <param name="Path">Request path, without the query.</param>
/// <param name="Query">Raw query string, without the leading <c>?</c>.</param>
/// <param name="Group">API group ("" for core); null for non-resource paths.</param>
/// <param name="Version">API version; null for non-resource paths.</param>
/// <param name="Resource">Resource (plural), e.g. <c>pods</c>; null for non-resource paths.</param>
/// <param name="Subresource">Subresource, e.g. <c>status</c>.</param>
/// <param name="Namespace">Namespace from the path.</param>
/// <param name="Name">Object name from the path.</param>
/// <param name="UserAgent">The User-Agent header.</param>
/// <param name="User">The authenticated user; null when authentication failed.</param>
/// <param name="StatusCode">HTTP status answered.</param>
/// <param name="Duration">Time to answer (for watches: to start the stream).</param>
/// <param name="Injected">True when the answer came from an injected fault.</param>
public sealed record KubernetesRequestLogEntry(
    DateTimeOffset Time,
    string Verb,
    string Method,
    string Path,
    string Query,
    string? Group,
    string? Version,
    string? Resource,
    string? Subresource,
    string? Namespace,
    string? Name,
    string? UserAgent,
    string? User,
    int StatusCode,
    TimeSpan Duration,
    bool Injected);
