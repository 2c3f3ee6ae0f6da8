using Csi.Provisioner.Models;
using Csi.Provisioner.Provisioning;

namespace Csi.Provisioner.Capacity;

/// <summary>
/// The writes that make the published CSIStorageCapacity objects match what GetCapacity said: create the missing,
/// update the changed (capacity or maximum), delete those for a class or segment no longer served, and duplicates.
/// </summary>
public sealed record CapacityPlan(
    IReadOnlyList<(CapacityKey Key, CapacityValue Value)> Create,
    IReadOnlyList<(CsiStorageCapacity Existing, CapacityValue Value)> Update,
    IReadOnlyList<CsiStorageCapacity> Delete)
{
    public static CapacityPlan Of(IReadOnlyDictionary<CapacityKey, CapacityValue> desired, IEnumerable<CsiStorageCapacity> existing)
    {
        ArgumentNullException.ThrowIfNull(desired);
        ArgumentNullException.ThrowIfNull(existing);
        var byId = desired.ToDictionary(p => p.Key.Id, p => (p.Key, p.Value), StringComparer.Ordinal);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var update = new List<(CsiStorageCapacity, CapacityValue)>();
        var delete = new List<CsiStorageCapacity>();
        foreach (var item in existing.OrderBy(c => c.Metadata.CreationTimestamp, StringComparer.Ordinal).ThenBy(c => c.Metadata.Name, StringComparer.Ordinal))
        {
            var id = KeyOf(item).Id;
            if (!byId.TryGetValue(id, out var want) || !seen.Add(id))
            {
                delete.Add(item);
                continue;
            }
            if (item.Capacity != Quantity.FormatBytes(want.Value.AvailableBytes)
                || item.MaximumVolumeSize != (want.Value.MaximumVolumeBytes is { } max ? Quantity.FormatBytes(max) : null))
            {
                update.Add((item, want.Value));
            }
        }
        var create = byId.Where(p => !seen.Contains(p.Key)).OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => (p.Value.Key, p.Value.Value)).ToList();
        return new CapacityPlan(create, update, delete);
    }

    public static CapacityKey KeyOf(CsiStorageCapacity item)
    {
        ArgumentNullException.ThrowIfNull(item);
        return new CapacityKey(item.NodeTopology?.MatchLabels ?? new Dictionary<string, string>(), item.StorageClassName);
    }

    /// <summary>Writes the value into <paramref name="item"/> (capacity, and the maximum only when known).</summary>
    public static void Apply(CsiStorageCapacity item, CapacityValue value)
    {
        ArgumentNullException.ThrowIfNull(item);
        ArgumentNullException.ThrowIfNull(value);
        item.Capacity = Quantity.FormatBytes(value.AvailableBytes);
        item.MaximumVolumeSize = value.MaximumVolumeBytes is { } max ? Quantity.FormatBytes(max) : null;
    }
}
