using Grpc.Core;

namespace Csictl;

/// <summary>A CSI call returned an error status: exit code 1.</summary>
internal sealed class RpcFailedException : Exception
{
    public RpcFailedException(string method, RpcException inner)
        : base($"{method}: {inner.StatusCode}: {inner.Status.Detail}", inner)
    {
        Method = method;
        Status = inner.Status;
    }

    public string Method { get; }

    public Status Status { get; }
}
