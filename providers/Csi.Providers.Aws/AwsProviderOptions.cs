namespace Csi.Providers.Aws;

/// <summary>The AWS provider's own flags, as upstream names them.</summary>
internal sealed class AwsProviderOptions
{
    public static readonly TimeSpan DefaultPodIdentityHttpTimeout = TimeSpan.FromSeconds(5);

    public int Qps { get; set; } = 5;

    public int Burst { get; set; } = 10;

    public string PodIdentityHttpTimeoutText { get; set; } = string.Empty;

    public TimeSpan PodIdentityHttpTimeout { get; set; } = DefaultPodIdentityHttpTimeout;

    public string EksAddonVersion { get; set; } = string.Empty;

    public bool DriverWritesSecrets { get; set; }

    public string Kubeconfig { get; set; } = string.Empty;
}
