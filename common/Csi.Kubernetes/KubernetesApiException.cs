using System.Net;

namespace Csi.Kubernetes;

/// <summary>
/// A Kubernetes API call that failed: the HTTP status (0 when the server was not reached), the API server's
/// reason and message. The message names the verb and resource; it never carries a token or a request body.
/// </summary>
public sealed class KubernetesApiException : Exception
{
    public KubernetesApiException(int statusCode, string reason, string message, Exception? innerException = null)
        : base(message, innerException)
    {
        StatusCode = statusCode;
        Reason = reason;
    }

    public KubernetesApiException()
    {
        Reason = string.Empty;
    }

    public KubernetesApiException(string message)
        : base(message)
    {
        Reason = string.Empty;
    }

    public KubernetesApiException(string message, Exception innerException)
        : base(message, innerException)
    {
        Reason = string.Empty;
    }

    /// <summary>The HTTP status; 0 when no answer arrived (connection refused, TLS failure, timeout).</summary>
    public int StatusCode { get; }

    /// <summary>Status.reason: NotFound, AlreadyExists, Conflict, Forbidden, Expired, TooManyRequests, ...</summary>
    public string Reason { get; }

    /// <summary>Seconds the server asked the client to wait (429, some 5xx), when it said.</summary>
    public int? RetryAfterSeconds { get; init; }

    /// <summary>Status.details.name was present: the failure is about an object, not about the path being unserved.</summary>
    public bool NamesAnObject { get; init; }

    public bool IsNotFound => StatusCode == (int)HttpStatusCode.NotFound;

    public bool IsAlreadyExists => StatusCode == (int)HttpStatusCode.Conflict && Reason == "AlreadyExists";

    public bool IsConflict => StatusCode == (int)HttpStatusCode.Conflict && Reason != "AlreadyExists";

    public bool IsGone => StatusCode == (int)HttpStatusCode.Gone;
}
