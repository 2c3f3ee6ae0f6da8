namespace Csi.Provisioner.Provisioning;

/// <summary>The annotations and finalizers the provisioner reads and writes, as upstream names them.</summary>
public static class Annotations
{
    public const string StorageProvisioner = "volume.kubernetes.io/storage-provisioner";
    public const string BetaStorageProvisioner = "volume.beta.kubernetes.io/storage-provisioner";
    public const string BetaStorageClass = "volume.beta.kubernetes.io/storage-class";
    public const string SelectedNode = "volume.kubernetes.io/selected-node";
    public const string ProvisionedBy = "pv.kubernetes.io/provisioned-by";
    public const string DeletionSecretName = "volume.kubernetes.io/provisioner-deletion-secret-name";
    public const string DeletionSecretNamespace = "volume.kubernetes.io/provisioner-deletion-secret-namespace";
    public const string VolumeFinalizer = "external-provisioner.volume.kubernetes.io/finalizer";
    public const string CloningProtectionFinalizer = "provisioner.storage.kubernetes.io/cloning-protection";
    public const string ProvisionerIdentity = "storage.kubernetes.io/csiProvisionerIdentity";
}
