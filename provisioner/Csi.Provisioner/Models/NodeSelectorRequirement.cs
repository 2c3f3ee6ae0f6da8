namespace Csi.Provisioner.Models;

/// <summary>core/v1 NodeSelectorRequirement: key, operator (In, ...) and values.</summary>
public sealed class NodeSelectorRequirement
{
    public string Key { get; set; } = string.Empty;

    public string Operator { get; set; } = "In";

    public List<string>? Values { get; set; }
}
