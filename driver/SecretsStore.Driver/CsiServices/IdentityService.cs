using Csi.V1;
using Grpc.Core;

namespace SecretsStore.Driver.CsiServices;

/// <summary>CSI Identity: the driver's name and version; no plugin capability, since no controller is served.</summary>
public sealed class IdentityService : Identity.IdentityBase
{
    private readonly DriverOptions _options;

    public IdentityService(DriverOptions options)
    {
        _options = options;
    }

    public override Task<GetPluginInfoResponse> GetPluginInfo(GetPluginInfoRequest request, ServerCallContext context)
        => Task.FromResult(new GetPluginInfoResponse { Name = _options.DriverName, VendorVersion = DriverVersion.Version });

    public override Task<GetPluginCapabilitiesResponse> GetPluginCapabilities(GetPluginCapabilitiesRequest request, ServerCallContext context)
        => Task.FromResult(new GetPluginCapabilitiesResponse());

    public override Task<ProbeResponse> Probe(ProbeRequest request, ServerCallContext context)
        => Task.FromResult(new ProbeResponse { Ready = true });
}
