namespace Csi.Provisioner.Models;

/// <summary>What a VolumeAttachment attaches: a PersistentVolume by name.</summary>
public sealed class VolumeAttachmentSource
{
    public string? PersistentVolumeName { get; set; }
}
