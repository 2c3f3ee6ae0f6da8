namespace LocalVolume.Driver.Volumes;

/// <summary>A volume as the node state holds it.</summary>
public sealed class VolumeRecord
{
    public required string Id { get; init; }

    /// <summary>The CO's name for it (the PV name): the idempotency key of CreateVolume.</summary>
    public required string Name { get; init; }

    public required string Pool { get; init; }

    public long CapacityBytes { get; set; }

    /// <summary>Block volumes are served as a raw device; the others carry a filesystem.</summary>
    public bool Block { get; init; }

    /// <summary>Image layout: the filesystem made on first stage (empty for block volumes and subvolumes).</summary>
    public string FileSystem { get; init; } = string.Empty;

    public string? SourceSnapshotId { get; init; }

    public string? SourceVolumeId { get; init; }

    public RecordPhase Phase { get; set; }

    public DateTimeOffset CreatedAt { get; init; }
}
