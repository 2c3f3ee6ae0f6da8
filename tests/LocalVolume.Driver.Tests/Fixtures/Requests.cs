using Csi.V1;

namespace LocalVolume.Driver.Tests.Fixtures;

/// <summary>The CSI requests the tests send, built one way.</summary>
public static class Requests
{
    public static VolumeCapability Mount(string fileSystem = "", params string[] mountFlags)
    {
        var mount = new VolumeCapability.Types.MountVolume { FsType = fileSystem };
        mount.MountFlags.AddRange(mountFlags);
        return new VolumeCapability
        {
            Mount = mount,
            AccessMode = new VolumeCapability.Types.AccessMode { Mode = VolumeCapability.Types.AccessMode.Types.Mode.SingleNodeWriter },
        };
    }

    public static VolumeCapability Block() => new()
    {
        Block = new VolumeCapability.Types.BlockVolume(),
        AccessMode = new VolumeCapability.Types.AccessMode { Mode = VolumeCapability.Types.AccessMode.Types.Mode.SingleNodeWriter },
    };

    public static CreateVolumeRequest Create(string name, long bytes, VolumeCapability? capability = null, string? pool = null, VolumeContentSource? source = null)
    {
        var request = new CreateVolumeRequest
        {
            Name = name,
            CapacityRange = new CapacityRange { RequiredBytes = bytes },
            VolumeContentSource = source,
        };
        request.VolumeCapabilities.Add(capability ?? Mount());
        if (pool is not null)
        {
            request.Parameters.Add("pool", pool);
        }
        return request;
    }

    public static VolumeContentSource FromSnapshot(string snapshotId)
        => new() { Snapshot = new VolumeContentSource.Types.SnapshotSource { SnapshotId = snapshotId } };

    public static VolumeContentSource FromVolume(string volumeId)
        => new() { Volume = new VolumeContentSource.Types.VolumeSource { VolumeId = volumeId } };
}
