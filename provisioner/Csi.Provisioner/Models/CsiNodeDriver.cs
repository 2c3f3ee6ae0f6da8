namespace Csi.Provisioner.Models;

/// <summary>One driver registered on a node.</summary>
public sealed class CsiNodeDriver
{
    public string Name { get; set; } = string.Empty;

    public string? NodeId { get; set; }

    public List<string>? TopologyKeys { get; set; }
}
