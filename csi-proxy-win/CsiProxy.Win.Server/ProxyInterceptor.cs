using System.Diagnostics;
using Csi.Common.Metrics;
using Grpc.Core;
using Grpc.Core.Interceptors;
using Microsoft.Extensions.Logging;

namespace CsiProxy.Win.Server;

/// <summary>
/// Around every call: maps a group's exception to its gRPC status, logs the outcome, and counts it under the
/// go-grpc-prometheus names upstream's -metrics-bind-address exposes (grpc_server_handled_total, grpc_server_handling_seconds).
/// </summary>
public sealed class ProxyInterceptor : Interceptor
{
    private static readonly double[] Buckets = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

    private readonly ILogger<ProxyInterceptor> _logger;
    private readonly Counter _handled;
    private readonly Histogram _seconds;

    public ProxyInterceptor(ILogger<ProxyInterceptor> logger, MetricsRegistry metrics)
    {
        ArgumentNullException.ThrowIfNull(metrics);
        _logger = logger;
        _handled = metrics.Counter("grpc_server_handled_total", "Total number of RPCs completed on the server, regardless of success or failure.", "grpc_type", "grpc_service", "grpc_method", "grpc_code");
        _seconds = metrics.Histogram("grpc_server_handling_seconds", "Histogram of response latency (seconds) of gRPC that had been application-level handled by the server.", Buckets, "grpc_type", "grpc_service", "grpc_method");
    }

    public override async Task<TResponse> UnaryServerHandler<TRequest, TResponse>(TRequest request, ServerCallContext context, UnaryServerMethod<TRequest, TResponse> continuation)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(continuation);
        var (service, method) = Split(context.Method);
        var started = Stopwatch.GetTimestamp();
        var code = StatusCode.OK;
        try
        {
            return await continuation(request, context).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not RpcException)
        {
            var status = ProxyStatus.From(e);
            code = status.StatusCode;
            ServerLog.CallFailed(_logger, context.Method, status.StatusCode, status.Detail);
            throw new RpcException(status);
        }
        finally
        {
            var elapsed = Stopwatch.GetElapsedTime(started);
            _handled.Inc("unary", service, method, code.ToString());
            _seconds.Observe(elapsed.TotalSeconds, "unary", service, method);
            ServerLog.CallHandled(_logger, context.Method, code, elapsed.TotalMilliseconds);
        }
    }

    private static (string Service, string Method) Split(string fullMethod)
    {
        var slash = fullMethod.LastIndexOf('/');
        return slash <= 0 ? ("", fullMethod) : (fullMethod[1..slash], fullMethod[(slash + 1)..]);
    }
}
