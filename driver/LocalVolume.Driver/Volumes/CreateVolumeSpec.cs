namespace LocalVolume.Driver.Volumes;

/// <summary>A CreateVolume request in domain terms, its fields already checked for presence.</summary>
/// <param name="Name">The CO's name for the volume: the idempotency key.</param>
/// <param name="RequiredBytes">0 when the request has no minimum.</param>
/// <param name="LimitBytes">0 when the request has no maximum.</param>
/// <param name="Block">A raw block volume rather than a filesystem.</param>
/// <param name="FileSystem">The filesystem the capabilities ask for; null when they name none.</param>
/// <param name="Parameters">The StorageClass parameters.</param>
/// <param name="SourceSnapshotId">Restore from this snapshot.</param>
/// <param name="SourceVolumeId">Clone this volume.</param>
public sealed record CreateVolumeSpec(
    string Name,
    long RequiredBytes,
    long LimitBytes,
    bool Block,
    string? FileSystem,
    IReadOnlyDictionary<string, string> Parameters,
    string? SourceSnapshotId = null,
    string? SourceVolumeId = null);
