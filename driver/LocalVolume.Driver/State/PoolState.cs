using LocalVolume.Driver.Volumes;

namespace LocalVolume.Driver.State;

/// <summary>Everything one pool has issued, as written to its state file.</summary>
public sealed class PoolState
{
    public int Version { get; set; } = 1;

    public List<VolumeRecord> Volumes { get; set; } = [];

    public List<SnapshotRecord> Snapshots { get; set; } = [];
}
