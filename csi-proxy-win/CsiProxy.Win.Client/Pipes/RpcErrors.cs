using Grpc.Core;

namespace CsiProxy.Win.Client.Pipes;

/// <summary>Turns a call's gRPC status back into the <see cref="ProxyException"/> an in-process group throws, so callers handle one kind of error.</summary>
public static class RpcErrors
{
    public static async Task<T> Translate<T>(Task<T> call)
    {
        ArgumentNullException.ThrowIfNull(call);
        try
        {
            return await call.ConfigureAwait(false);
        }
        catch (RpcException e) when (e.StatusCode != StatusCode.Cancelled)
        {
            throw new ProxyException(Map(e.StatusCode), e.Status.Detail, e);
        }
    }

    public static ProxyErrorCode Map(StatusCode code) => code switch
    {
        StatusCode.InvalidArgument => ProxyErrorCode.InvalidArgument,
        StatusCode.NotFound => ProxyErrorCode.NotFound,
        StatusCode.AlreadyExists => ProxyErrorCode.AlreadyExists,
        StatusCode.FailedPrecondition => ProxyErrorCode.FailedPrecondition,
        StatusCode.Unavailable => ProxyErrorCode.Unavailable,
        _ => ProxyErrorCode.Internal,
    };
}
