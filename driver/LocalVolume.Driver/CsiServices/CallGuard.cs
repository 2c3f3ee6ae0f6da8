using Grpc.Core;
using LocalVolume.Driver.Diagnostics;
using LocalVolume.Driver.Volumes;

namespace LocalVolume.Driver.CsiServices;

/// <summary>Runs one RPC's domain call and maps its refusal to the status code the CSI spec mandates.</summary>
internal static class CallGuard
{
    public static async Task<T> RunAsync<T>(ILogger logger, DriverMetrics metrics, string method, Func<Task<T>> call)
    {
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        var code = StatusCode.OK;
        try
        {
            return await call().ConfigureAwait(false);
        }
        catch (VolumeException e)
        {
            code = ToStatusCode(e.Kind);
            var name = code.ToString();
            DriverLog.CallFailed(logger, method, name, e.Message);
            throw new RpcException(new Status(code, e.Message));
        }
        catch (Exception e) when (e is not RpcException and not OperationCanceledException)
        {
            code = StatusCode.Internal;
            throw;
        }
        finally
        {
            metrics.Calls.Inc(method, code.ToString());
            metrics.CallDuration.Observe(System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalSeconds, method);
        }
    }

    public static VolumeException Invalid(string message) => new(VolumeErrorKind.InvalidArgument, message);

    public static StatusCode ToStatusCode(VolumeErrorKind kind) => kind switch
    {
        VolumeErrorKind.InvalidArgument => StatusCode.InvalidArgument,
        VolumeErrorKind.NotFound => StatusCode.NotFound,
        VolumeErrorKind.AlreadyExists => StatusCode.AlreadyExists,
        VolumeErrorKind.OutOfRange => StatusCode.OutOfRange,
        VolumeErrorKind.ResourceExhausted => StatusCode.ResourceExhausted,
        VolumeErrorKind.FailedPrecondition => StatusCode.FailedPrecondition,
        VolumeErrorKind.Aborted => StatusCode.Aborted,
        _ => StatusCode.Internal,
    };
}
