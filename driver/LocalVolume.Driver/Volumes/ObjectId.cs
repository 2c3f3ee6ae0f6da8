namespace LocalVolume.Driver.Volumes;

/// <summary>
/// The ids the driver issues: a kind prefix and 32 lowercase hex digits (<c>vol-…</c>, <c>snap-…</c>). An id from a
/// request is only ever looked up among issued ids; paths are built from the issued record, never from the request.
/// </summary>
public static class ObjectId
{
    public const string VolumePrefix = "vol-";
    public const string SnapshotPrefix = "snap-";
    private const int HexLength = 32;
    private static readonly System.Buffers.SearchValues<char> LowerHex = System.Buffers.SearchValues.Create("0123456789abcdef");

    public static string NewVolumeId() => VolumePrefix + Guid.NewGuid().ToString("N");

    public static string NewSnapshotId() => SnapshotPrefix + Guid.NewGuid().ToString("N");

    public static bool IsVolumeId(string? id) => HasForm(id, VolumePrefix);

    public static bool IsSnapshotId(string? id) => HasForm(id, SnapshotPrefix);

    private static bool HasForm(string? id, string prefix)
        => id is not null
           && id.Length == prefix.Length + HexLength
           && id.StartsWith(prefix, StringComparison.Ordinal)
           && id.AsSpan(prefix.Length).IndexOfAnyExcept(LowerHex) < 0;
}
