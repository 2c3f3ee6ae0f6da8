using Csi.V1;

namespace Csi.Common.Hosting;

/// <summary>The CSI Identity service, which every CSI binary of the suite serves whole.</summary>
public static class CsiIdentityMethods
{
    public static GrpcMethodTable Identity(this GrpcMethodTable methods, Identity.IdentityBase identity)
    {
        ArgumentNullException.ThrowIfNull(methods);
        ArgumentNullException.ThrowIfNull(identity);
        const string service = CsiServiceNames.Identity;
        return methods
            .Unary<GetPluginInfoRequest, GetPluginInfoResponse>(service, nameof(identity.GetPluginInfo), identity.GetPluginInfo)
            .Unary<GetPluginCapabilitiesRequest, GetPluginCapabilitiesResponse>(service, nameof(identity.GetPluginCapabilities), identity.GetPluginCapabilities)
            .Unary<ProbeRequest, ProbeResponse>(service, nameof(identity.Probe), identity.Probe);
    }
}
