using Csi.V1;

namespace Csi.Provisioner.Provisioning;

/// <summary>
/// Builds DeleteVolume for a volume handle and the secrets the class names for deletion, as both paths send it: the
/// reclaim of a released volume and the clean-up of a volume whose PersistentVolume could not be saved.
/// </summary>
public static class DeleteVolumeRequestBuilder
{
    public static DeleteVolumeRequest Build(string volumeId, IReadOnlyDictionary<string, string>? secrets)
    {
        ArgumentNullException.ThrowIfNull(volumeId);
        var request = new DeleteVolumeRequest { VolumeId = volumeId };
        if (secrets is not null)
        {
            foreach (var (key, value) in secrets)
            {
                request.Secrets[key] = value;
            }
        }
        return request;
    }
}
