using CsiProxy.Win.Groups;

namespace CsiProxy.Win.Client;

/// <summary>The csi-proxy v1 groups as a node plugin sees them, whether they are reached over pipes or run in process.</summary>
public interface ICsiProxy : IDisposable
{
    IDiskApi Disk { get; }

    IVolumeApi Volume { get; }

    IFilesystemApi Filesystem { get; }

    ISmbApi Smb { get; }

    ISystemApi System { get; }
}
