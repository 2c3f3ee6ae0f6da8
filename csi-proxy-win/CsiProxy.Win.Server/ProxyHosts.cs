using CsiProxy.Win.Hosts;

namespace CsiProxy.Win.Server;

/// <summary>The host layer the groups run on: the Windows one in production, fakes in tests.</summary>
public sealed record ProxyHosts(IDiskHost Disks, IVolumeHost Volumes, IFileSystemHost Files, ISmbHost Smb, ISystemHost System);
