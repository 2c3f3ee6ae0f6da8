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
    public const string PodNameKey = "csi.storage.k8s.io/pod.name";
    public const string PodNamespaceKey = "csi.storage.k8s.io/pod.namespace";
    public const string PodUidKey = "csi.storage.k8s.io/pod.uid";
    public const string ServiceAccountNameKey = "csi.storage.k8s.io/serviceAccount.name";
    public const string ServiceAccountTokensKey = "csi.storage.k8s.io/serviceAccount.tokens";

    /// <summary>Kubelet puts the tokens in secrets (Kubernetes 1.35+ with serviceAccountTokenInSecrets) or in the volume context.</summary>
    public string? ServiceAccountTokens
        => Secrets.TryGetValue(ServiceAccountTokensKey, out var fromSecrets) && fromSecrets.Length > 0 ? fromSecrets
            : VolumeContext.TryGetValue(ServiceAccountTokensKey, out var fromContext) && fromContext.Length > 0 ? fromContext
            : null;
}
