namespace Csi.Charts.Tests;

/// <summary>For each chart: its defaults, and a set that turns on what the defaults leave off.</summary>
public static class ChartValueSets
{
    public const string Digest = "sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

    public static readonly IReadOnlyDictionary<string, string[]> NonDefault = new Dictionary<string, string[]>
    {
        ["secrets-store-csi-driver"] =
        [
            "windows.enabled=true", "enableSecretRotation=true", "rotationPollInterval=30s", "tokenRequests[0].audience=vault",
            "tokenRequests[1].audience=api://AzureADTokenExchange", "syncSecret.enabled=true", "logVerbosity=5", "logFormatJSON=true",
            "providerHealthCheck=true", "linux.image.digest=" + Digest, "linux.priorityClassName=system-node-critical",
            "imagePullSecrets[0].name=pull", "commonLabels.team=platform",
        ],
        ["vault-csi-provider"] =
        [
            "global.externalVaultAddr=https://vault.vault.svc:8200", "csi.debug=true", "csi.extraArgs[0]=--cache-size=10",
            "csi.daemonSet.updateStrategy.maxUnavailable=2", "csi.resources.requests.cpu=50m", "csi.priorityClassName=system-node-critical",
        ],
        ["csi-secrets-store-provider-azure"] =
        [
            "windows.enabled=true", "writeCertAndKeyInSeparateFiles=true", "constructPEMChain=false", "logVerbosity=3", "logFormatJSON=true",
            "secrets-store-csi-driver.enableSecretRotation=true", "secrets-store-csi-driver.syncSecret.enabled=true",
            "secrets-store-csi-driver.windows.enabled=true",
        ],
        ["secrets-store-csi-driver-provider-aws"] =
        [
            "awsRegion=eu-west-1", "useFipsEndpoint=true", "k8sThrottlingParams.qps=20", "k8sThrottlingParams.burst=40",
            "podIdentityHttpTimeout=2s", "eksAddonVersion=v1.0.0-eksbuild.1", "secrets-store-csi-driver.syncSecret.enabled=true",
            "secrets-store-csi-driver.enableSecretRotation=true",
        ],
        ["csi-proxy"] =
        [
            "workingDirs[0]=D:\\\\csi", "metricsBindAddress=127.0.0.1:8888", "requirePrivacy=false", "logVerbosity=4",
        ],
        // Without snapshots.enabled: kubernetes-models has no VolumeSnapshotClass model (LocalVolumeChartTests checks it by hand).
        ["local-volume-csi-driver"] =
        [
            "pools[0].name=fast", "pools[0].dir=/var/lib/local-volume/fast", "pools[0].size=200Gi", "pools[0].layout=subvolume",
            "pools[1].name=images", "pools[1].dir=/var/lib/local-volume/images", "pools[1].size=500Gi", "pools[1].layout=image",
            "pools[1].fstype=xfs", "storageClasses[0].name=local-fast", "storageClasses[0].pool=fast", "storageClasses[1].name=local-xfs",
            "storageClasses[1].pool=images", "storageClasses[1].fsType=xfs", "storageCapacity=false", "metrics.enabled=true",
            "image.digest=" + Digest, "logVerbosity=5", "logFormatJSON=true", "maxVolumesPerNode=100",
        ],
    };

    public static TheoryData<string, bool> Each()
    {
        var data = new TheoryData<string, bool>();
        foreach (var chart in Helm.Charts)
        {
            data.Add(chart, false);
            data.Add(chart, true);
        }
        return data;
    }

    public static string[] For(string chart, bool nonDefault) => nonDefault ? NonDefault[chart] : [];
}
