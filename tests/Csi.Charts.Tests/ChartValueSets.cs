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
