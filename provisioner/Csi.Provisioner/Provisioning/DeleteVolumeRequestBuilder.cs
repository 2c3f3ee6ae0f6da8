using Csi.V1;

namespace Csi.Provisioner.Provisioning;

/// <summary>
/// Builds DeleteVolume for a volume handle and the secrets the class names for deletion, as both paths send it: the
/// reclaim of a released volume and the clean-up of a volume whose PersistentVolume could not be saved.
/// </summary>
public static class DeleteVolumeRequestBuilder
{
    private static readonly IReadOnlyDictionary<string, string> EmptySecrets = new Dictionary<string, string>();

    public static DeleteVolumeRequest Build(string volumeId, IReadOnlyDictionary<string, string>? secrets)
    {
        ArgumentNullException.ThrowIfNull(volumeId);
        var request = new DeleteVolumeRequest { VolumeId = volumeId };
        foreach (var (key, value) in secrets ?? EmptySecrets)
        {
            request.Secrets[key] = value;
        }
        return request;
    }
}
