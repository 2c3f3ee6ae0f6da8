using Csi.Provisioner.Models;
using Csi.Provisioner.Provisioning;
using Csi.V1;

namespace Csi.Provisioner.Tests.Unit;

public class TopologyRequirementsTests
{
    private static readonly string[] Nodes = ["node-1", "node-2", "node-3"];

    private static TopologyInputs Inputs(string? selected, bool strict = false, bool immediate = true, StorageClass? storageClass = null, string[]? nodes = null)
    {
        var names = nodes ?? Nodes;
        var byName = names.ToDictionary(n => n, Objects.Node);
        return new TopologyInputs(Objects.Driver, storageClass ?? Objects.Class(), selected, [.. names.Select(Objects.CsiNode)], n => byName.GetValueOrDefault(n), strict, immediate, "pvc-1");
    }

    private static string[] Values(IEnumerable<Topology> topologies) => [.. topologies.Select(t => t.Segments[Objects.TopologyKey])];

    [Fact]
    public void Build_SelectedNode_IsPreferredFirst_RequisiteIsEveryNode()
    {
        var requirement = TopologyRequirements.Build(Inputs("node-2"))!;
        Assert.Equal(["node-1", "node-2", "node-3"], Values(requirement.Requisite));
        Assert.Equal("node-2", Values(requirement.Preferred)[0]);
        Assert.Equal(3, requirement.Preferred.Count);
    }

    [Fact]
    public void Build_StrictTopology_RequiresTheSelectedNodeOnly()
    {
        var requirement = TopologyRequirements.Build(Inputs("node-2", strict: true))!;
        Assert.Equal(["node-2"], Values(requirement.Requisite));
        Assert.Equal(["node-2"], Values(requirement.Preferred));
    }

    [Fact]
    public void Build_AllowedTopologies_AreTheRequisite()
    {
        var storageClass = Objects.Class(allowed: [new TopologySelectorTerm { MatchLabelExpressions = [new() { Key = Objects.TopologyKey, Values = ["node-1", "node-3"] }] }]);
        var requirement = TopologyRequirements.Build(Inputs("node-3", storageClass: storageClass))!;
        Assert.Equal(["node-1", "node-3"], Values(requirement.Requisite));
        Assert.Equal("node-3", Values(requirement.Preferred)[0]);
    }

    [Fact]
    public void Build_SelectedNodeOutsideAllowedTopologies_IsAnError()
    {
        var storageClass = Objects.Class(allowed: [new TopologySelectorTerm { MatchLabelExpressions = [new() { Key = Objects.TopologyKey, Values = ["node-1"] }] }]);
        var error = Assert.Throws<ProvisioningException>(() => TopologyRequirements.Build(Inputs("node-3", storageClass: storageClass)));
        Assert.Contains("allowedTopologies", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Build_Immediate_UsesEveryNode_RotatedPerVolume()
    {
        var requirement = TopologyRequirements.Build(Inputs(null))!;
        Assert.Equal(3, requirement.Requisite.Count);
        Assert.Equal(["node-1", "node-2", "node-3"], Values(requirement.Preferred).Order());
    }

    [Fact]
    public void Build_ImmediateWithoutImmediateTopology_HasNoRequirement() => Assert.Null(TopologyRequirements.Build(Inputs(null, immediate: false)));

    [Fact]
    public void Build_SelectedNodeWithoutTheDriver_SaysTheNodePluginIsNotRegistered()
    {
        var error = Assert.Throws<ProvisioningException>(() => TopologyRequirements.Build(Inputs("node-9")));
        Assert.Contains("node \"node-9\"", error.Message, StringComparison.Ordinal);
        Assert.Contains("not registered", error.Message, StringComparison.Ordinal);
    }
}
