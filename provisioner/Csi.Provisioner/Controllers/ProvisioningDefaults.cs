using Csi.Provisioner.Driver;

namespace Csi.Provisioner.Controllers;

/// <summary>The settings the controllers share: the driver and the flags that shape requests.</summary>
public sealed record ProvisioningDefaults(DriverInfo Driver, ProvisionerOptions Options, string ProvisionerIdentity);
