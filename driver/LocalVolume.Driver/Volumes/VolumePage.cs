namespace LocalVolume.Driver.Volumes;

/// <summary>One page of a listing and the token that continues it (empty on the last page).</summary>
public sealed record VolumePage<T>(IReadOnlyList<T> Entries, string NextToken);
