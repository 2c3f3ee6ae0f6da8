using Csi.V1;
using Grpc.Core;

namespace LocalVolume.Driver.CsiServices;

/// <summary>CSI Identity: name, version, and the plugin capabilities of the services this process serves.</summary>
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
    {
        var response = new GetPluginCapabilitiesResponse();
        if (_options.ServesController)
        {
            response.Capabilities.Add(new PluginCapability { Service = new PluginCapability.Types.Service { Type = PluginCapability.Types.Service.Types.Type.ControllerService } });
        }
        response.Capabilities.Add(new PluginCapability { Service = new PluginCapability.Types.Service { Type = PluginCapability.Types.Service.Types.Type.VolumeAccessibilityConstraints } });
        response.Capabilities.Add(new PluginCapability { VolumeExpansion = new PluginCapability.Types.VolumeExpansion { Type = PluginCapability.Types.VolumeExpansion.Types.Type.Online } });
        return Task.FromResult(response);
    }

    public override Task<ProbeResponse> Probe(ProbeRequest request, ServerCallContext context)
        => Task.FromResult(new ProbeResponse { Ready = true });
}
