namespace Csi.Provisioner.Driver;

/// <summary>The driver cannot be used: unreachable, not ready in time, or lacking what provisioning needs. The message is the one line the process exits with.</summary>
public sealed class DriverStartupException : Exception
{
    public DriverStartupException(string message)
        : base(message)
    {
    }

    public DriverStartupException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public DriverStartupException()
    {
    }
}
