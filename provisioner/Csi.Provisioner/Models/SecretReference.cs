namespace Csi.Provisioner.Models;

/// <summary>core/v1 SecretReference: a Secret by name and namespace.</summary>
public sealed record SecretReference
{
    public string? Name { get; set; }

    public string? Namespace { get; set; }
}
