using Grpc.Core;

namespace Csi.ProviderHost;

/// <summary>The one table from a provider's failure to the gRPC status the driver receives.</summary>
public static class ProviderStatus
{
    public static StatusCode Code(ProviderErrorKind kind) => kind switch
    {
        ProviderErrorKind.InvalidArgument => StatusCode.InvalidArgument,
        ProviderErrorKind.NotFound => StatusCode.NotFound,
        ProviderErrorKind.PermissionDenied => StatusCode.PermissionDenied,
        ProviderErrorKind.Unauthenticated => StatusCode.Unauthenticated,
        ProviderErrorKind.FailedPrecondition => StatusCode.FailedPrecondition,
        ProviderErrorKind.ResourceExhausted => StatusCode.ResourceExhausted,
        ProviderErrorKind.Unavailable => StatusCode.Unavailable,
        ProviderErrorKind.DeadlineExceeded => StatusCode.DeadlineExceeded,
        ProviderErrorKind.Cancelled => StatusCode.Cancelled,
        _ => StatusCode.Internal,
    };

    /// <summary>The status for a failed mount: its code, and a message that starts with the stable error code.</summary>
    public static RpcException ToRpcException(ProviderException exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        return new RpcException(new Status(Code(exception.Kind), $"{exception.ErrorCode}: {exception.Message}"));
    }
}
