using Csi.V1;

namespace Csi.Provisioner.Driver;

/// <summary>What the driver said about itself at start: its name (the provisioner name) and capabilities.</summary>
public sealed record DriverInfo(string Name, string VendorVersion, bool Topology, IReadOnlySet<ControllerServiceCapability.Types.RPC.Types.Type> Controller)
{
    public bool Has(ControllerServiceCapability.Types.RPC.Types.Type capability) => Controller.Contains(capability);
}
