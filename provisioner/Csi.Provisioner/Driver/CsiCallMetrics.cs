using System.Diagnostics;
using Csi.Common.Metrics;
using Grpc.Core;
using Grpc.Core.Interceptors;

namespace Csi.Provisioner.Driver;

/// <summary>csi_sidecar_operations_seconds{driver_name,method_name,grpc_status_code}, as csi-lib-utils records it for every call to the driver.</summary>
public sealed class CsiCallMetrics : Interceptor
{
    private static readonly double[] Buckets = [0.1, 0.25, 0.5, 1, 2.5, 5, 10, 15, 25, 50, 120, 300, 600];

    private readonly Histogram _operations;

    public CsiCallMetrics(MetricsRegistry registry)
    {
        ArgumentNullException.ThrowIfNull(registry);
        _operations = registry.Histogram("csi_sidecar_operations_seconds", "Container Storage Interface operation duration with gRPC error code status total", Buckets, "driver_name", "method_name", "grpc_status_code");
    }

    /// <summary>Set once GetPluginInfo has answered; calls before that are recorded with "unknown".</summary>
    public string DriverName { get; set; } = "unknown";

    public override AsyncUnaryCall<TResponse> AsyncUnaryCall<TRequest, TResponse>(TRequest request, ClientInterceptorContext<TRequest, TResponse> context, AsyncUnaryCallContinuation<TRequest, TResponse> continuation)
    {
        ArgumentNullException.ThrowIfNull(continuation);
        var started = Stopwatch.GetTimestamp();
        var call = continuation(request, context);
        return new AsyncUnaryCall<TResponse>(ObserveAsync(call.ResponseAsync, context.Method.FullName, started), call.ResponseHeadersAsync, call.GetStatus, call.GetTrailers, call.Dispose);
    }

    private async Task<TResponse> ObserveAsync<TResponse>(Task<TResponse> response, string method, long started)
    {
        var code = StatusCode.OK;
        try
        {
            return await response.ConfigureAwait(false);
        }
        catch (RpcException e)
        {
            code = e.StatusCode;
            throw;
        }
        finally
        {
            _operations.Observe(Stopwatch.GetElapsedTime(started).TotalSeconds, DriverName, method, code.ToString());
        }
    }
}
