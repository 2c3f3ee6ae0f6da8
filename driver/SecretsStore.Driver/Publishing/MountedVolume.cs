using SecretsStore.Driver.PodStatuses;

namespace SecretsStore.Driver.Publishing;

/// <summary>What the driver remembers about a volume it mounted: when it last fetched, and which versions.</summary>
public sealed record MountedVolume(string VolumeId, string Provider, DateTimeOffset LastFetch, IReadOnlyList<ObjectVersionRecord> Objects);
