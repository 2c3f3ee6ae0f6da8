using CsiProxy.Win.Api.SystemV1Alpha1;
using CsiProxy.Win.Groups;
using Grpc.Core;
using SystemGrpc = CsiProxy.Win.Api.SystemV1Alpha1.System;

namespace CsiProxy.Win.Server.Services;

/// <summary>The system group on gRPC: each RPC hands its request to <see cref="ISystemApi"/>; <see cref="ProxyInterceptor"/> maps failures.</summary>
public sealed class SystemService : SystemGrpc.SystemBase
{
    private readonly ISystemApi _group;

    public SystemService(ISystemApi group)
    {
        _group = group;
    }

    public override Task<GetBIOSSerialNumberResponse> GetBIOSSerialNumber(GetBIOSSerialNumberRequest request, ServerCallContext context)
        => _group.GetBIOSSerialNumberAsync(request, context?.CancellationToken ?? default);

    public override Task<StartServiceResponse> StartService(StartServiceRequest request, ServerCallContext context)
        => _group.StartServiceAsync(request, context?.CancellationToken ?? default);

    public override Task<StopServiceResponse> StopService(StopServiceRequest request, ServerCallContext context)
        => _group.StopServiceAsync(request, context?.CancellationToken ?? default);

    public override Task<GetServiceResponse> GetService(GetServiceRequest request, ServerCallContext context)
        => _group.GetServiceAsync(request, context?.CancellationToken ?? default);
}
