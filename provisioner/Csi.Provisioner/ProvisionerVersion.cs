using System.Reflection;

namespace Csi.Provisioner;

/// <summary>The binary's version, from the assembly.</summary>
public static class ProvisionerVersion
{
    public static string Version { get; } = typeof(ProvisionerVersion).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "0.0.0";
}
