namespace Csi.Provisioner.Models;

/// <summary>VolumeAttachment spec: attacher, node and the attached volume.</summary>
public sealed class VolumeAttachmentSpec
{
    public string? Attacher { get; set; }

    public string? NodeName { get; set; }

    public VolumeAttachmentSource? Source { get; set; }
}
