using Grpc.Core;
using Grpc.Core.Interceptors;
using SecretsStore.Driver.Diagnostics;

namespace SecretsStore.Driver.CsiServices;

/// <summary>
/// The last line of the service layer: no exception leaves a CSI handler as UNKNOWN "Exception was thrown by
/// handler". A caller that gave up gets CANCELLED; anything unexpected is INTERNAL naming the call and the
/// exception's type (its message goes to the log only: exception texts are not for kubelet's events).
/// </summary>
public sealed class CsiExceptionInterceptor : Interceptor
{
    private readonly ILogger _logger;

    public CsiExceptionInterceptor(ILogger<CsiExceptionInterceptor> logger)
    {
        _logger = logger;
    }

    public override async Task<TResponse> UnaryServerHandler<TRequest, TResponse>(TRequest request, ServerCallContext context, UnaryServerMethod<TRequest, TResponse> continuation)
    {
        try
        {
            return await continuation(request, context).ConfigureAwait(false);
        }
        catch (RpcException)
        {
            throw;
        }
        catch (OperationCanceledException) when (context.CancellationToken.IsCancellationRequested)
        {
            throw new RpcException(new Status(StatusCode.Cancelled, $"{context.Method} was cancelled by its caller (deadline passed or connection closed) before it finished"));
        }
        catch (Exception e)
        {
            DriverLog.HandlerFailed(_logger, context.Method, e.GetType().Name, e.Message);
            throw new RpcException(new Status(StatusCode.Internal, $"{context.Method} failed unexpectedly ({e.GetType().Name}); the driver's log has the details"));
        }
    }
}
