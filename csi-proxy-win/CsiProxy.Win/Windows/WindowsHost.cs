using System.Runtime.Versioning;
using CsiProxy.Win.Hosts;

namespace CsiProxy.Win.Windows;

/// <summary>The real host layer: one shared CIM session behind every group's host interface.</summary>
[SupportedOSPlatform("windows")]
public sealed class WindowsHost : IDisposable
{
    private readonly CimConnection _cim = new();

    public WindowsHost()
    {
        Disks = new CimDiskHost(_cim);
        Volumes = new CimVolumeHost(_cim);
        Files = new Win32FileSystemHost();
        Smb = new CimSmbHost(_cim);
        System = new CimSystemHost(_cim);
    }

    public IDiskHost Disks { get; }

    public IVolumeHost Volumes { get; }

    public IFileSystemHost Files { get; }

    public ISmbHost Smb { get; }

    public ISystemHost System { get; }

    public void Dispose() => _cim.Dispose();
}
