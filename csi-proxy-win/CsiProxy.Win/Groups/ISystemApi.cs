using CsiProxy.Win.Api.SystemV1Alpha1;

namespace CsiProxy.Win.Groups;

/// <summary>The system v1alpha1 API group, one method per RPC: served in process by <see cref="SystemGroup"/> or over its named pipe by the client library.</summary>
public interface ISystemApi
{
    Task<GetBIOSSerialNumberResponse> GetBIOSSerialNumberAsync(GetBIOSSerialNumberRequest request, CancellationToken cancellationToken = default);

    Task<StartServiceResponse> StartServiceAsync(StartServiceRequest request, CancellationToken cancellationToken = default);

    Task<StopServiceResponse> StopServiceAsync(StopServiceRequest request, CancellationToken cancellationToken = default);

    Task<GetServiceResponse> GetServiceAsync(GetServiceRequest request, CancellationToken cancellationToken = default);
}
