using CsiProxy.Win.Groups;
using CsiProxy.Win.Hosts;
using CsiProxy.Win.Paths;

namespace CsiProxy.Win.Client;

/// <summary>
/// The groups run inside the plugin's own process, on a host layer it owns: for a plugin deployed as a HostProcess
/// pod, which has the host's rights and no proxy to call. The same validation, path rules and idempotency apply.
/// </summary>
public sealed class InProcessCsiProxy : ICsiProxy
{
    private readonly IDisposable? _owned;

    public InProcessCsiProxy(CsiProxyClientOptions options, IDiskHost disks, IVolumeHost volumes, IFileSystemHost files, ISmbHost smb, ISystemHost system, IDisposable? owned = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        var paths = new PathRules([options.KubeletPath, .. options.WorkingDirs]);
        Disk = new DiskGroup(disks);
        Volume = new VolumeGroup(volumes, paths);
        Filesystem = new FilesystemGroup(files, paths);
        Smb = new SmbGroup(smb, files, paths, options.RequirePrivacy);
        System = new SystemGroup(system, new ServiceAllowList(options.AllowedServices));
        _owned = owned;
    }

    public IDiskApi Disk { get; }

    public IVolumeApi Volume { get; }

    public IFilesystemApi Filesystem { get; }

    public ISmbApi Smb { get; }

    public ISystemApi System { get; }

    public void Dispose() => _owned?.Dispose();
}
