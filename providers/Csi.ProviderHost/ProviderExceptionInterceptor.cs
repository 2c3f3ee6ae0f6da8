using Grpc.Core;
using Grpc.Core.Interceptors;
using Microsoft.Extensions.Logging;

namespace Csi.ProviderHost;

/// <summary>
/// The last line of the provider's gRPC surface: no exception leaves Version or Mount as UNKNOWN "Exception was
/// thrown by handler". A driver that gave up gets CANCELLED; anything unexpected is INTERNAL naming the call, the
/// provider and the exception's type. The exception's message is neither sent nor logged: a provider's exception
/// text may quote what it fetched.
/// </summary>
public sealed class ProviderExceptionInterceptor : Interceptor
{
    private readonly SecretsProvider _provider;
    private readonly ILogger _logger;

    public ProviderExceptionInterceptor(SecretsProvider provider, ILogger<ProviderExceptionInterceptor> logger)
    {
        _provider = provider;
        _logger = logger;
    }

    public override async Task<TResponse> UnaryServerHandler<TRequest, TResponse>(TRequest request, ServerCallContext context, UnaryServerMethod<TRequest, TResponse> continuation)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(continuation);
        try
        {
            return await continuation(request, context).ConfigureAwait(false);
        }
        catch (RpcException)
        {
            throw;
        }
        catch (ProviderException e)
        {
            throw ProviderStatus.ToRpcException(e);
        }
        catch (OperationCanceledException) when (context.CancellationToken.IsCancellationRequested)
        {
            throw new RpcException(new Status(StatusCode.Cancelled, $"Cancelled: {context.Method} was cancelled by the driver (deadline or shutdown) before it finished"));
        }
        catch (Exception e)
        {
            var type = e.GetType().Name;
            ProviderHostLog.HandlerFailed(_logger, context.Method, type);
            throw new RpcException(new Status(StatusCode.Internal, $"Internal: {context.Method} failed unexpectedly in provider {ProviderName()} ({type}); see the provider's log"));
        }
    }

    private string ProviderName()
    {
        try
        {
            return _provider.Name;
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            return "(unnamed)"; // a provider whose very name throws still gets a status, not UNKNOWN
        }
    }
}
