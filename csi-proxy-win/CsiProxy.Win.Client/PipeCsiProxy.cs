using CsiProxy.Win.Client.Pipes;
using CsiProxy.Win.Groups;
using Grpc.Net.Client;

namespace CsiProxy.Win.Client;

/// <summary>The groups of a running csi-proxy, each over its own channel (its own pipe, or whatever the channel factory connects to).</summary>
public sealed class PipeCsiProxy : ICsiProxy
{
    private readonly GrpcChannel[] _channels;

    /// <param name="channelFor">The channel of each group; <see cref="PipeChannels.For"/> on a node.</param>
    public PipeCsiProxy(Func<ApiGroup, GrpcChannel> channelFor)
    {
        ArgumentNullException.ThrowIfNull(channelFor);
        var disk = channelFor(ApiGroup.DiskV1);
        var volume = channelFor(ApiGroup.VolumeV1);
        var filesystem = channelFor(ApiGroup.FilesystemV1);
        var smb = channelFor(ApiGroup.SmbV1);
        var system = channelFor(ApiGroup.SystemV1Alpha1);
        _channels = [disk, volume, filesystem, smb, system];
        Disk = new DiskPipeClient(disk.CreateCallInvoker());
        Volume = new VolumePipeClient(volume.CreateCallInvoker());
        Filesystem = new FilesystemPipeClient(filesystem.CreateCallInvoker());
        Smb = new SmbPipeClient(smb.CreateCallInvoker());
        System = new SystemPipeClient(system.CreateCallInvoker());
    }

    public IDiskApi Disk { get; }

    public IVolumeApi Volume { get; }

    public IFilesystemApi Filesystem { get; }

    public ISmbApi Smb { get; }

    public ISystemApi System { get; }

    public void Dispose()
    {
        foreach (var channel in _channels)
        {
            channel.Dispose();
        }
    }
}
