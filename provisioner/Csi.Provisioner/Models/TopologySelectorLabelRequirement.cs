namespace Csi.Provisioner.Models;

/// <summary>A topology key and the values it may take.</summary>
public sealed class TopologySelectorLabelRequirement
{
    public string Key { get; set; } = string.Empty;

    public List<string> Values { get; set; } = [];
}
