namespace Csi.Common;

/// <summary>
/// The volume-context and parameter keys kubelet and the external provisioner add under <c>csi.storage.k8s.io/</c>:
/// pod info (CSIDriver <c>podInfoOnMount</c>), service-account tokens (<c>tokenRequests</c>), ephemeral volumes,
/// and the StorageClass keys a provisioner resolves and strips.
/// </summary>
public static class VolumeContextKeys
{
    public const string Prefix = "csi.storage.k8s.io/";
    public const string PodName = "csi.storage.k8s.io/pod.name";
    public const string PodNamespace = "csi.storage.k8s.io/pod.namespace";
    public const string PodUid = "csi.storage.k8s.io/pod.uid";
    public const string ServiceAccountName = "csi.storage.k8s.io/serviceAccount.name";
    public const string ServiceAccountTokens = "csi.storage.k8s.io/serviceAccount.tokens";
    public const string Ephemeral = "csi.storage.k8s.io/ephemeral";
    public const string FsType = "csi.storage.k8s.io/fstype";
}
