namespace Csi.Provisioner.Models;

/// <summary>A PersistentVolume's spec.nodeAffinity: the nodes that can reach the volume.</summary>
public sealed class VolumeNodeAffinity
{
    public NodeSelector? Required { get; set; }
}
