using System.Reflection;

namespace LocalVolume.Driver;

/// <summary>The version reported by GetPluginInfo and --version.</summary>
public static class DriverVersion
{
    public static string Version { get; } =
        typeof(DriverVersion).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "0.0.0";
}
