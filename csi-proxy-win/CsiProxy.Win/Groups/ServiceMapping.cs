using CsiProxy.Win.Api.SystemV1Alpha1;

namespace CsiProxy.Win.Groups;

/// <summary>Win32_Service's State and StartMode strings to the system group's enums.</summary>
public static class ServiceMapping
{
    public static ServiceStatus Status(string state) => state switch
    {
        "Stopped" => ServiceStatus.Stopped,
        "Start Pending" => ServiceStatus.StartPending,
        "Stop Pending" => ServiceStatus.StopPending,
        "Running" => ServiceStatus.Running,
        "Continue Pending" => ServiceStatus.ContinuePending,
        "Pause Pending" => ServiceStatus.PausePending,
        "Paused" => ServiceStatus.Paused,
        _ => ServiceStatus.Unknown,
    };

    /// <summary>An unknown start mode maps to Manual, the mode that promises nothing.</summary>
    public static StartType StartType(string startMode) => startMode switch
    {
        "Boot" => Api.SystemV1Alpha1.StartType.Boot,
        "System" => Api.SystemV1Alpha1.StartType.System,
        "Auto" or "Automatic" => Api.SystemV1Alpha1.StartType.Automatic,
        "Disabled" => Api.SystemV1Alpha1.StartType.Disabled,
        _ => Api.SystemV1Alpha1.StartType.Manual,
    };
}
