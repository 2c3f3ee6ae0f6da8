namespace Csi.Provisioner.Capacity;

/// <summary>One CSIStorageCapacity object's identity: a topology segment and a StorageClass.</summary>
public sealed record CapacityKey(IReadOnlyDictionary<string, string> Segment, string ClassName)
{
    /// <summary>A stable text form (keys sorted) for dictionaries and logs.</summary>
    public string Id => ClassName + "@" + Describe(Segment);

    public static string Describe(IReadOnlyDictionary<string, string> segment)
        => "{" + string.Join(",", segment.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{p.Key}={p.Value}")) + "}";
}
