using Csi.Provisioner.Models;

namespace Csi.Provisioner.Capacity;

/// <summary>The topology segments capacity is published for: each node's values of the driver's topology keys.</summary>
public static class CapacitySegments
{
    /// <summary>
    /// Distinct segments of the nodes whose CSINode registers <paramref name="driverName"/> with topology keys and
    /// whose Node carries every key as a label (with --node-deployment the informers hold only this node).
    /// </summary>
    public static List<IReadOnlyDictionary<string, string>> Of(string driverName, IEnumerable<CsiNode> csiNodes, Func<string, NodeResource?> nodeByName)
    {
        ArgumentNullException.ThrowIfNull(csiNodes);
        ArgumentNullException.ThrowIfNull(nodeByName);
        var result = new Dictionary<string, IReadOnlyDictionary<string, string>>(StringComparer.Ordinal);
        foreach (var csiNode in csiNodes)
        {
            var keys = csiNode.Spec.Drivers.FirstOrDefault(d => d.Name == driverName)?.TopologyKeys;
            var labels = csiNode.Metadata.Name is { } name ? nodeByName(name)?.Metadata.Labels : null;
            if (keys is not { Count: > 0 } || labels is null)
            {
                continue;
            }
            var segment = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var key in keys)
            {
                if (!labels.TryGetValue(key, out var value))
                {
                    segment = null;
                    break;
                }
                segment[key] = value;
            }
            if (segment is not null)
            {
                result.TryAdd(CapacityKey.Describe(segment), segment);
            }
        }
        return result.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => p.Value).ToList();
    }
}
