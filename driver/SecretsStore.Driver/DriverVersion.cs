using System.Reflection;

namespace SecretsStore.Driver;

/// <summary>The version this binary reports to kubelet and on --version.</summary>
public static class DriverVersion
{
    public static string Version { get; } =
        typeof(DriverVersion).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "0.0.0";
}
