namespace Csi.Provisioner.Controllers;

/// <summary>Event reasons, as upstream names them.</summary>
public static class EventReasons
{
    public const string Normal = "Normal";
    public const string Warning = "Warning";
    public const string ExternalProvisioning = "ExternalProvisioning";
    public const string Provisioning = "Provisioning";
    public const string ProvisioningSucceeded = "ProvisioningSucceeded";
    public const string ProvisioningFailed = "ProvisioningFailed";
    public const string VolumeFailedDelete = "VolumeFailedDelete";
}
