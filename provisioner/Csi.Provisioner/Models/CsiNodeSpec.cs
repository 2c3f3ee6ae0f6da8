namespace Csi.Provisioner.Models;

/// <summary>CSINode spec.</summary>
public sealed class CsiNodeSpec
{
    public List<CsiNodeDriver> Drivers { get; set; } = [];
}
