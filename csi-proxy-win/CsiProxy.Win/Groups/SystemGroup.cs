using CsiProxy.Win.Api.SystemV1Alpha1;
using CsiProxy.Win.Hosts;
using CsiProxy.Win.Paths;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace CsiProxy.Win.Groups;

/// <summary>The system v1alpha1 group: BIOS serial number, and services on the allow-list only. Start and stop are no-ops when already done.</summary>
public sealed class SystemGroup : ISystemApi
{
    private readonly ISystemHost _host;
    private readonly ServiceAllowList _allowed;
    private readonly ILogger _logger;

    public SystemGroup(ISystemHost host, ServiceAllowList allowed, ILogger<SystemGroup>? logger = null)
    {
        _host = host;
        _allowed = allowed;
        _logger = logger ?? NullLogger<SystemGroup>.Instance;
    }

    public Task<GetBIOSSerialNumberResponse> GetBIOSSerialNumberAsync(GetBIOSSerialNumberRequest request, CancellationToken cancellationToken = default)
        => Task.FromResult(new GetBIOSSerialNumberResponse { SerialNumber = _host.GetBiosSerialNumber() });

    public Task<GetServiceResponse> GetServiceAsync(GetServiceRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var service = Find(request.Name);
        return Task.FromResult(new GetServiceResponse
        {
            DisplayName = service.DisplayName,
            StartType = ServiceMapping.StartType(service.StartMode),
            Status = ServiceMapping.Status(service.State),
        });
    }

    public Task<StartServiceResponse> StartServiceAsync(StartServiceRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (ServiceMapping.Status(Find(request.Name).State) != ServiceStatus.Running)
        {
            _host.StartService(request.Name, cancellationToken);
            GroupLog.ServiceChanged(_logger, request.Name, "started");
        }
        return Task.FromResult(new StartServiceResponse());
    }

    public Task<StopServiceResponse> StopServiceAsync(StopServiceRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (ServiceMapping.Status(Find(request.Name).State) != ServiceStatus.Stopped)
        {
            _host.StopService(request.Name, request.Force, cancellationToken);
            GroupLog.ServiceChanged(_logger, request.Name, "stopped");
        }
        return Task.FromResult(new StopServiceResponse());
    }

    private HostService Find(string name)
    {
        var allowed = _allowed.Check("name", name);
        return _host.GetService(allowed) ?? throw new ProxyException(ProxyErrorCode.NotFound, $"name: no service \"{allowed}\" on this host");
    }
}
