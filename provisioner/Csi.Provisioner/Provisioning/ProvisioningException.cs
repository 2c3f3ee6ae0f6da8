namespace Csi.Provisioner.Provisioning;

/// <summary>
/// A claim that cannot be provisioned as it stands (a bad class parameter, a missing secret, an unsupported data
/// source). The message names the field and the fix; it becomes the ProvisioningFailed event.
/// </summary>
public sealed class ProvisioningException : Exception
{
    public ProvisioningException(string message)
        : base(message)
    {
    }

    public ProvisioningException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public ProvisioningException()
    {
    }
}
