using SecretsStore.Driver.PodStatuses;

namespace SecretsStore.Driver.Publishing;

/// <summary>
/// What the driver remembers about a volume it mounted: when it last fetched (<see cref="LastFetchTimestamp"/> on
/// the process's monotonic clock decides "due"; <see cref="LastFetch"/>, wall time, is what survives a restart),
/// and which object versions it holds.
/// </summary>
public sealed record MountedVolume(string VolumeId, string Provider, DateTimeOffset LastFetch, long LastFetchTimestamp, IReadOnlyList<ObjectVersionRecord> Objects);
