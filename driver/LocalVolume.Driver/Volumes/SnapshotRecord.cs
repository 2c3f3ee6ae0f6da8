namespace LocalVolume.Driver.Volumes;

/// <summary>A snapshot as the node state holds it.</summary>
public sealed class SnapshotRecord
{
    public required string Id { get; init; }

    public required string Name { get; init; }

    public required string Pool { get; init; }

    public required string SourceVolumeId { get; init; }

    public long SizeBytes { get; init; }

    public bool Block { get; init; }

    public string FileSystem { get; init; } = string.Empty;

    public RecordPhase Phase { get; set; }

    public DateTimeOffset CreatedAt { get; init; }
}
