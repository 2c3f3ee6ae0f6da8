using Csi.Provisioner.Models;

namespace Csi.Provisioner.Provisioning;

/// <summary>What the accessibility requirements of one CreateVolume are computed from.</summary>
public sealed record TopologyInputs(
    string DriverName,
    StorageClass Class,
    string? SelectedNode,
    IReadOnlyList<CsiNode> CsiNodes,
    Func<string, NodeResource?> NodeByName,
    bool StrictTopology,
    bool ImmediateTopology,
    string VolumeName);
