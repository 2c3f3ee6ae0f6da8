using System.Collections.Concurrent;
using Grpc.Core;
using SecretsStore.Provider.V1Alpha1;

namespace Csi.TestProvider;

/// <summary>
/// A v1alpha1 provider whose Mount answer is whatever <see cref="Handler"/> returns; it records every request
/// so tests can assert on what the driver sent.
/// </summary>
public sealed class TestProviderService : CSIDriverProvider.CSIDriverProviderBase
{
    public const string RuntimeName = "csi-test-provider";

    public Func<MountRequest, ServerCallContext, Task<MountResponse>> Handler { get; set; } =
        (_, _) => throw new RpcException(new Status(StatusCode.FailedPrecondition, "no handler set"));

    public ConcurrentQueue<MountRequest> Requests { get; } = new();

    public int MountCalls => Requests.Count;

    public override Task<VersionResponse> Version(VersionRequest request, ServerCallContext context)
        => Task.FromResult(new VersionResponse { Version = "v1alpha1", RuntimeName = RuntimeName, RuntimeVersion = "0.1.0" });

    public override Task<MountResponse> Mount(MountRequest request, ServerCallContext context)
    {
        Requests.Enqueue(request);
        return Handler(request, context);
    }
}
