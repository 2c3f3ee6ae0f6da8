namespace Csi.Provisioner.Models;

/// <summary>core/v1 NodeSelectorTerm: the expressions are ANDed.</summary>
public sealed class NodeSelectorTerm
{
    public List<NodeSelectorRequirement>? MatchExpressions { get; set; }
}
