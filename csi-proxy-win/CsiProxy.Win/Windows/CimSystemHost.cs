using System.Runtime.Versioning;
using CsiProxy.Win.Cim;
using CsiProxy.Win.Hosts;
using Microsoft.Management.Infrastructure;

namespace CsiProxy.Win.Windows;

/// <summary>BIOS and services through CIM_BIOSElement and Win32_Service; start and stop wait (bounded) for the state they ask for.</summary>
[SupportedOSPlatform("windows")]
public sealed class CimSystemHost : ISystemHost
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(200);
    private static readonly TimeSpan WaitLimit = TimeSpan.FromSeconds(30);
    private const int MaxDependentDepth = 8;

    private readonly CimConnection _cim;

    public CimSystemHost(CimConnection cim)
    {
        _cim = cim;
    }

    public string GetBiosSerialNumber()
        => _cim.QuerySingle(CimNamespaces.CimV2, CimQueries.BiosSerialNumber()) is { } bios ? CimValues.String(bios, "SerialNumber").Trim() : "";

    public HostService? GetService(string name)
        => Service(name) is { } service
            ? new HostService(CimValues.String(service, "DisplayName"), CimValues.String(service, "StartMode"), CimValues.String(service, "State"))
            : null;

    public void StartService(string name, CancellationToken cancellationToken)
    {
        _cim.Invoke(CimCalls.StartService(), Require(name), CimReturnCodes.ServiceAlreadyRunning);
        WaitFor(name, "Running", cancellationToken);
    }

    public void StopService(string name, bool force, CancellationToken cancellationToken)
        => Stop(Require(name), force, 0, cancellationToken);

    private void Stop(CimInstance service, bool force, int depth, CancellationToken cancellationToken)
    {
        var name = CimValues.String(service, "Name");
        var result = _cim.Invoke(CimCalls.StopService(), service, CimReturnCodes.ServiceHasRunningDependents, CimReturnCodes.ServiceNotActive);
        if (Convert.ToUInt32(result.ReturnValue?.Value ?? 0u, System.Globalization.CultureInfo.InvariantCulture) == CimReturnCodes.ServiceHasRunningDependents)
        {
            if (!force || depth >= MaxDependentDepth)
            {
                throw new ProxyException(ProxyErrorCode.FailedPrecondition, $"name: services that depend on {name} are running; set force to stop them too");
            }
            foreach (var dependent in _cim.Query(CimNamespaces.CimV2, CimQueries.DependentServices(name)))
            {
                if (CimValues.String(dependent, "State") != "Stopped")
                {
                    Stop(dependent, force, depth + 1, cancellationToken);
                }
            }
            _cim.Invoke(CimCalls.StopService(), Require(name), CimReturnCodes.ServiceNotActive);
        }
        WaitFor(name, "Stopped", cancellationToken);
    }

    private void WaitFor(string name, string state, CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow + WaitLimit;
        while (Service(name) is { } service && CimValues.String(service, "State") != state)
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new ProxyException(ProxyErrorCode.Internal, $"service {name} did not reach state {state} within {WaitLimit.TotalSeconds} s");
            }
            cancellationToken.WaitHandle.WaitOne(PollInterval);
            cancellationToken.ThrowIfCancellationRequested();
        }
    }

    private CimInstance? Service(string name) => _cim.QuerySingle(CimNamespaces.CimV2, CimQueries.Service(name));

    private CimInstance Require(string name)
        => Service(name) ?? throw new ProxyException(ProxyErrorCode.NotFound, $"name: no service \"{name}\" on this host");
}
