namespace Csi.Provisioner.Models;

/// <summary>A StorageClass's allowedTopologies term: its label requirements are ANDed.</summary>
public sealed class TopologySelectorTerm
{
    public List<TopologySelectorLabelRequirement>? MatchLabelExpressions { get; set; }
}
