using Csi.Client;
using Csi.V1;

namespace LocalVolume.Driver.Tests.Fixtures;

/// <summary>Stages and publishes volumes the way kubelet does: a staging directory per volume, a target per pod.</summary>
public sealed class NodeSession
{
    private readonly CsiClient _client;
    private readonly string _work;

    public NodeSession(CsiClient client, string workDirectory)
    {
        _client = client;
        _work = workDirectory;
    }

    public string StagingPath(string volumeId) => Path.Combine(_work, "staging", volumeId);

    public string TargetPath(string volumeId, string pod = "pod") => Path.Combine(_work, "pods", pod, volumeId);

    /// <summary>Stages and publishes; returns the target path (a directory, or a device file for block volumes).</summary>
    public async Task<string> PublishAsync(string volumeId, VolumeCapability capability, bool readOnly = false, string pod = "pod")
    {
        ArgumentNullException.ThrowIfNull(capability);
        var staging = Directory.CreateDirectory(StagingPath(volumeId)).FullName;
        await _client.Node.NodeStageVolumeAsync(new NodeStageVolumeRequest { VolumeId = volumeId, StagingTargetPath = staging, VolumeCapability = capability });
        var target = TargetPath(volumeId, pod);
        Directory.CreateDirectory(Path.GetDirectoryName(target)!);
        await _client.Node.NodePublishVolumeAsync(new NodePublishVolumeRequest
        {
            VolumeId = volumeId,
            StagingTargetPath = staging,
            TargetPath = target,
            VolumeCapability = capability,
            Readonly = readOnly,
        });
        return target;
    }

    public async Task UnpublishAsync(string volumeId, string pod = "pod")
    {
        await _client.Node.NodeUnpublishVolumeAsync(new NodeUnpublishVolumeRequest { VolumeId = volumeId, TargetPath = TargetPath(volumeId, pod) });
        await _client.Node.NodeUnstageVolumeAsync(new NodeUnstageVolumeRequest { VolumeId = volumeId, StagingTargetPath = StagingPath(volumeId) });
    }
}
