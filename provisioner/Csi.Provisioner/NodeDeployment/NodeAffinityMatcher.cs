using Csi.Provisioner.Models;

namespace Csi.Provisioner.NodeDeployment;

/// <summary>Whether a PersistentVolume's required node affinity names a node (by its labels, or its name as a value).</summary>
public static class NodeAffinityMatcher
{
    /// <summary>
    /// True when one term's expressions all hold for <paramref name="labels"/>. Without the node's labels (not seen
    /// yet) a term holds when each In expression lists <paramref name="nodeName"/>. A PV without node affinity names no node.
    /// </summary>
    public static bool NamesNode(VolumeNodeAffinity? affinity, string nodeName, IReadOnlyDictionary<string, string>? labels)
    {
        var terms = affinity?.Required?.NodeSelectorTerms;
        if (terms is null || terms.Count == 0)
        {
            return false;
        }
        return terms.Any(term => term.MatchExpressions is { Count: > 0 } expressions && expressions.All(e => Holds(e, nodeName, labels)));
    }

    private static bool Holds(NodeSelectorRequirement requirement, string nodeName, IReadOnlyDictionary<string, string>? labels)
    {
        var values = requirement.Values ?? [];
        if (labels is null)
        {
            return requirement.Operator == "In" && values.Contains(nodeName, StringComparer.Ordinal);
        }
        var has = labels.TryGetValue(requirement.Key, out var value);
        return requirement.Operator switch
        {
            "In" => has && values.Contains(value!, StringComparer.Ordinal),
            "NotIn" => !has || !values.Contains(value!, StringComparer.Ordinal),
            "Exists" => has,
            "DoesNotExist" => !has,
            _ => false,
        };
    }
}
