using System.Runtime.InteropServices;
using Csi.Common.Mounting;
using SecretsStore.Driver.CsiServices;

namespace SecretsStore.Driver;

/// <summary>
/// What differs between the node kinds the driver serves, decided once when the driver starts: the mount layer
/// (tmpfs on Linux; a directory on the node's disk on Windows, as upstream), kubelet's target path rules and the
/// os_type metric label.
/// </summary>
public sealed class NodePlatform
{
    private readonly Func<IMounter> _createMounter;

    /// <summary>A platform of parts; tests combine one node's mount layer with this machine's paths.</summary>
    internal NodePlatform(string osType, TargetPathRules targetPaths, bool secretsOnNodeDisk, Func<IMounter> createMounter)
    {
        OsType = osType;
        TargetPaths = targetPaths;
        SecretsOnNodeDisk = secretsOnNodeDisk;
        _createMounter = createMounter;
    }

    public static NodePlatform Linux { get; } = new("linux", TargetPathRules.Linux, secretsOnNodeDisk: false, CreateLinuxMounter);

    public static NodePlatform Windows { get; } = new("windows", TargetPathRules.Windows, secretsOnNodeDisk: true, () => new WindowsMounter());

    /// <summary>This machine's.</summary>
    public static NodePlatform Current { get; } = Detect(RuntimeInformation.IsOSPlatform);

    /// <summary>The os_type label of the driver's metrics: the operating system's name as upstream's Go runtime spells it.</summary>
    public string OsType { get; }

    public TargetPathRules TargetPaths { get; }

    /// <summary>Whether volume files land on the node's disk rather than in memory (no tmpfs): the driver warns once at start.</summary>
    public bool SecretsOnNodeDisk { get; }

    /// <summary>Picks the platform from the answer of <paramref name="isOperatingSystem"/>; Linux unless it says Windows.</summary>
    public static NodePlatform Detect(Func<OSPlatform, bool> isOperatingSystem)
    {
        ArgumentNullException.ThrowIfNull(isOperatingSystem);
        return isOperatingSystem(OSPlatform.Windows) ? Windows : Linux;
    }

    public IMounter CreateMounter() => _createMounter();

    private static LinuxMounter CreateLinuxMounter()
        => OperatingSystem.IsLinux()
            ? new LinuxMounter()
            : throw new PlatformNotSupportedException("the Linux mount layer needs mount(2) and /proc/self/mountinfo: run the driver on a Linux or a Windows node");
}
