using Csi.Provisioner.Models;
using Csi.V1;

namespace Csi.Provisioner.Provisioning;

/// <summary>
/// CreateVolume's accessibility_requirements, as upstream computes them: with a selected node (WaitForFirstConsumer)
/// the node's segment is preferred first (and is the only one with strict topology); requisite is the class's
/// allowedTopologies or, without them, every segment of the nodes that run the driver; Immediate binding does the same
/// without a selected node (and only with --immediate-topology), rotating the preferred list per volume.
/// </summary>
public static class TopologyRequirements
{
    public static TopologyRequirement? Build(TopologyInputs inputs)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        var allowed = AllowedSegments(inputs.Class);
        if (inputs.SelectedNode is { Length: > 0 } selectedNode)
        {
            var keys = TopologyKeysOf(inputs, selectedNode)
                ?? throw new ProvisioningException($"node \"{selectedNode}\" has no CSINode entry for driver \"{inputs.DriverName}\" with topology keys: the driver's node plugin is not registered there yet (check the node-driver-registrar on that node)");
            var selected = SegmentOf(inputs, selectedNode, keys)
                ?? throw new ProvisioningException($"node \"{selectedNode}\" lacks a label for one of the topology keys {string.Join(", ", keys)} that driver \"{inputs.DriverName}\" registered; the node plugin sets them through CSINode and kubelet labels the node");
            if (allowed.Count > 0 && !allowed.Any(a => Matches(selected, a)))
            {
                throw new ProvisioningException($"selected node \"{selectedNode}\" ({Describe(selected)}) is outside the allowedTopologies of StorageClass \"{inputs.Class.Metadata.Name}\": schedule the pod on an allowed node or widen allowedTopologies");
            }
            if (inputs.StrictTopology)
            {
                return Requirement([selected], [selected]);
            }
            var requisite = allowed.Count > 0 ? allowed : Aggregate(inputs, keys);
            if (!requisite.Any(r => SameSegment(r, selected)))
            {
                requisite = [.. requisite, selected];
            }
            var preferred = new List<Dictionary<string, string>> { selected };
            preferred.AddRange(Sorted(requisite).Where(s => !SameSegment(s, selected)));
            return Requirement(requisite, preferred);
        }

        if (allowed.Count == 0 && !inputs.ImmediateTopology)
        {
            return null;
        }
        var terms = allowed.Count > 0 ? allowed : Aggregate(inputs, AnyKeys(inputs));
        if (terms.Count == 0)
        {
            return null;
        }
        var sorted = Sorted(terms);
        var offset = (int)(StableHash(inputs.VolumeName) % (uint)sorted.Count);
        var rotated = sorted.Skip(offset).Concat(sorted.Take(offset)).ToList();
        return Requirement(terms, rotated);
    }

    /// <summary>The class's allowedTopologies as segments: each term expands to the product of its keys' values.</summary>
    public static List<Dictionary<string, string>> AllowedSegments(StorageClass storageClass)
    {
        var result = new List<Dictionary<string, string>>();
        foreach (var term in storageClass?.AllowedTopologies ?? [])
        {
            var partial = new List<Dictionary<string, string>> { new(StringComparer.Ordinal) };
            foreach (var requirement in term.MatchLabelExpressions ?? [])
            {
                partial = [.. partial.SelectMany(p => requirement.Values.Select(v => new Dictionary<string, string>(p, StringComparer.Ordinal) { [requirement.Key] = v }))];
            }
            result.AddRange(partial.Where(p => p.Count > 0));
        }
        return Distinct(result);
    }

    private static List<string>? TopologyKeysOf(TopologyInputs inputs, string nodeName)
        => inputs.CsiNodes.FirstOrDefault(n => n.Metadata.Name == nodeName)?.Spec.Drivers
            .FirstOrDefault(d => d.Name == inputs.DriverName)?.TopologyKeys is { Count: > 0 } keys ? keys : null;

    private static List<string> AnyKeys(TopologyInputs inputs)
        => inputs.CsiNodes.SelectMany(n => n.Spec.Drivers).FirstOrDefault(d => d.Name == inputs.DriverName && d.TopologyKeys is { Count: > 0 })?.TopologyKeys ?? [];

    private static Dictionary<string, string>? SegmentOf(TopologyInputs inputs, string nodeName, List<string> keys)
    {
        var labels = inputs.NodeByName(nodeName)?.Metadata.Labels;
        var segment = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var key in keys)
        {
            if (labels is null || !labels.TryGetValue(key, out var value))
            {
                return null;
            }
            segment[key] = value;
        }
        return segment;
    }

    /// <summary>The segments of every node whose CSINode registers the driver with the same keys.</summary>
    private static List<Dictionary<string, string>> Aggregate(TopologyInputs inputs, List<string> keys)
    {
        if (keys.Count == 0)
        {
            return [];
        }
        var segments = new List<Dictionary<string, string>>();
        foreach (var csiNode in inputs.CsiNodes)
        {
            var nodeKeys = csiNode.Spec.Drivers.FirstOrDefault(d => d.Name == inputs.DriverName)?.TopologyKeys;
            if (nodeKeys is null || !keys.All(nodeKeys.Contains) || csiNode.Metadata.Name is not { } name)
            {
                continue;
            }
            if (SegmentOf(inputs, name, keys) is { } segment)
            {
                segments.Add(segment);
            }
        }
        return Distinct(segments);
    }

    private static TopologyRequirement Requirement(IEnumerable<Dictionary<string, string>> requisite, IEnumerable<Dictionary<string, string>> preferred)
    {
        var requirement = new TopologyRequirement();
        foreach (var segment in Sorted(requisite))
        {
            requirement.Requisite.Add(ToTopology(segment));
        }
        foreach (var segment in preferred)
        {
            requirement.Preferred.Add(ToTopology(segment));
        }
        return requirement;
    }

    private static Topology ToTopology(Dictionary<string, string> segment)
    {
        var topology = new Topology();
        topology.Segments.Add(segment);
        return topology;
    }

    private static bool Matches(Dictionary<string, string> segment, Dictionary<string, string> term)
        => term.All(t => segment.TryGetValue(t.Key, out var v) && v == t.Value);

    private static bool SameSegment(Dictionary<string, string> a, Dictionary<string, string> b) => a.Count == b.Count && Matches(a, b);

    private static List<Dictionary<string, string>> Distinct(List<Dictionary<string, string>> segments)
        => [.. segments.GroupBy(Describe, StringComparer.Ordinal).Select(g => g.First())];

    private static List<Dictionary<string, string>> Sorted(IEnumerable<Dictionary<string, string>> segments)
        => [.. segments.OrderBy(Describe, StringComparer.Ordinal)];

    private static string Describe(Dictionary<string, string> segment)
        => string.Join(",", segment.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => p.Key + "=" + p.Value));

    private static uint StableHash(string text)
    {
        var hash = 2166136261u;
        foreach (var c in text)
        {
            hash = (hash ^ c) * 16777619u;
        }
        return hash;
    }
}
