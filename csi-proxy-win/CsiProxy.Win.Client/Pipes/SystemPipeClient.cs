using CsiProxy.Win.Api.SystemV1Alpha1;
using CsiProxy.Win.Groups;
using Grpc.Core;
using SystemGrpc = CsiProxy.Win.Api.SystemV1Alpha1.System;

namespace CsiProxy.Win.Client.Pipes;

/// <summary>The system group over its pipe; a failed call throws the same <see cref="ProxyException"/> the in-process group would.</summary>
public sealed class SystemPipeClient : ISystemApi
{
    private readonly SystemGrpc.SystemClient _client;

    public SystemPipeClient(CallInvoker invoker)
    {
        _client = new SystemGrpc.SystemClient(invoker);
    }

    public Task<GetBIOSSerialNumberResponse> GetBIOSSerialNumberAsync(GetBIOSSerialNumberRequest request, CancellationToken cancellationToken = default)
        => RpcErrors.Translate(_client.GetBIOSSerialNumberAsync(request, cancellationToken: cancellationToken).ResponseAsync);

    public Task<StartServiceResponse> StartServiceAsync(StartServiceRequest request, CancellationToken cancellationToken = default)
        => RpcErrors.Translate(_client.StartServiceAsync(request, cancellationToken: cancellationToken).ResponseAsync);

    public Task<StopServiceResponse> StopServiceAsync(StopServiceRequest request, CancellationToken cancellationToken = default)
        => RpcErrors.Translate(_client.StopServiceAsync(request, cancellationToken: cancellationToken).ResponseAsync);

    public Task<GetServiceResponse> GetServiceAsync(GetServiceRequest request, CancellationToken cancellationToken = default)
        => RpcErrors.Translate(_client.GetServiceAsync(request, cancellationToken: cancellationToken).ResponseAsync);
}
