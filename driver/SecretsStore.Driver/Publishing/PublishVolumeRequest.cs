using Csi.Common;
namespace SecretsStore.Driver.Publishing;

/// <summary>A validated NodePublishVolume, in the driver's terms.</summary>
public sealed record PublishVolumeRequest(
    string VolumeId,
    string TargetPath,
    string SecretProviderClass,
    string PodName,
    string PodNamespace,
    string PodUid,
    IReadOnlyDictionary<string, string> VolumeContext,
    IReadOnlyDictionary<string, string> Secrets)
{
    public const string SecretProviderClassKey = "secretProviderClass";

    /// <summary>Kubelet puts the tokens in secrets (Kubernetes 1.35+ with serviceAccountTokenInSecrets) or in the volume context.</summary>
    public string? ServiceAccountTokens
        => Secrets.TryGetValue(VolumeContextKeys.ServiceAccountTokens, out var fromSecrets) && fromSecrets.Length > 0 ? fromSecrets
            : VolumeContext.TryGetValue(VolumeContextKeys.ServiceAccountTokens, out var fromContext) && fromContext.Length > 0 ? fromContext
            : null;
}
