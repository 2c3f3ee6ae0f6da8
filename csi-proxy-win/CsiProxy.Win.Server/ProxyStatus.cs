using Grpc.Core;

namespace CsiProxy.Win.Server;

/// <summary>The gRPC status for what an API group threw: its <see cref="ProxyException"/> code and message as they are; any other failure as Internal with its message (host messages carry no credential).</summary>
public static class ProxyStatus
{
    public static Status From(Exception exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        return exception switch
        {
            ProxyException e => new Status(Map(e.Code), e.Message),
            OperationCanceledException => new Status(StatusCode.Cancelled, "the call was cancelled"),
            ArgumentException e => new Status(StatusCode.InvalidArgument, e.Message),
            _ => new Status(StatusCode.Internal, exception.Message),
        };
    }

    public static StatusCode Map(ProxyErrorCode code) => code switch
    {
        ProxyErrorCode.InvalidArgument => StatusCode.InvalidArgument,
        ProxyErrorCode.NotFound => StatusCode.NotFound,
        ProxyErrorCode.AlreadyExists => StatusCode.AlreadyExists,
        ProxyErrorCode.FailedPrecondition => StatusCode.FailedPrecondition,
        ProxyErrorCode.Unavailable => StatusCode.Unavailable,
        _ => StatusCode.Internal,
    };
}
