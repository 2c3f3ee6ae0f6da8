namespace CsiProxy.Win.Hosts;

/// <summary>The host's BIOS and services (CIM_BIOSElement, Win32_Service). Service names reach it already allowed.</summary>
public interface ISystemHost
{
    string GetBiosSerialNumber();

    /// <summary>The service's display name, Win32_Service.StartMode and Win32_Service.State, or null when there is no such service.</summary>
    HostService? GetService(string name);

    /// <summary>Starts the service and waits (bounded) until it runs.</summary>
    void StartService(string name, CancellationToken cancellationToken);

    /// <summary>Stops the service; with <paramref name="force"/>, stops the services that depend on it first.</summary>
    void StopService(string name, bool force, CancellationToken cancellationToken);
}

public sealed record HostService(string DisplayName, string StartMode, string State);
