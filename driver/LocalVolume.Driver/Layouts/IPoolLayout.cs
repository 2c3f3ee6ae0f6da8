using LocalVolume.Driver.Volumes;

namespace LocalVolume.Driver.Layouts;

/// <summary>
/// The storage steps of one pool. Every method is idempotent (a retried or repaired step finds its work done or
/// redoes it), and paths come from issued records only.
/// </summary>
public interface IPoolLayout
{
    /// <summary>Checks the pool's directory and readies it (sub-directories, quotas).</summary>
    Task PrepareAsync(CancellationToken cancellationToken);

    /// <summary>Where the volume lives: a subvolume directory or an image file.</summary>
    string VolumePath(VolumeRecord volume);

    /// <summary>True when the node must grow something after ControllerExpandVolume (a loop device and a filesystem).</summary>
    bool NeedsNodeExpansion { get; }

    Task CreateVolumeAsync(VolumeRecord volume, CancellationToken cancellationToken);

    Task CreateVolumeFromSnapshotAsync(VolumeRecord volume, SnapshotRecord source, CancellationToken cancellationToken);

    Task CloneVolumeAsync(VolumeRecord volume, VolumeRecord source, CancellationToken cancellationToken);

    /// <summary>Removes the volume's storage; nothing there is not an error.</summary>
    Task DeleteVolumeAsync(string volumeId, CancellationToken cancellationToken);

    Task ExpandVolumeAsync(VolumeRecord volume, long newCapacityBytes, CancellationToken cancellationToken);

    Task CreateSnapshotAsync(SnapshotRecord snapshot, VolumeRecord source, CancellationToken cancellationToken);

    /// <summary>Removes the snapshot's storage; nothing there is not an error.</summary>
    Task DeleteSnapshotAsync(string snapshotId, CancellationToken cancellationToken);

    /// <summary>Ids of the volumes and snapshots that have storage in the pool, for the sweep at start.</summary>
    IReadOnlyList<string> StoredIds();
}
