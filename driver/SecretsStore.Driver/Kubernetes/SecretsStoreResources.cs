using Csi.Kubernetes;

namespace SecretsStore.Driver.Kubernetes;

/// <summary>The Secrets Store kinds the driver reads and writes, and the CSIDriver it reads for rotation.</summary>
public static class SecretsStoreResources
{
    public const string Group = "secrets-store.csi.x-k8s.io";

    public static readonly ApiResource SecretProviderClassesV1 = new(Group, "v1", "secretproviderclasses");

    public static readonly ApiResource SecretProviderClassesV1Alpha1 = new(Group, "v1alpha1", "secretproviderclasses");

    public static readonly ApiResource CsiDrivers = new("storage.k8s.io", "v1", "csidrivers");

    public static readonly ApiResource SecretProviderClassPodStatusesV1 = new(Group, "v1", "secretproviderclasspodstatuses");
}
