namespace Csi.Providers.Azure;

/// <summary>The Azure provider's own flags, as upstream names them; the flag defaults are these.</summary>
internal sealed class AzureProviderOptions
{
    /// <summary>--cloud-name: the cloud used when a SecretProviderClass sets no cloudName.</summary>
    public string CloudName { get; set; } = AzureCloud.Public.Name;

    /// <summary>--construct-pem-chain: order a PFX-backed secret's certificates leaf, intermediate, root.</summary>
    public bool ConstructPemChain { get; set; } = true;

    /// <summary>--write-cert-and-key-in-separate-files: also write &lt;file&gt;.crt and &lt;file&gt;.key.</summary>
    public bool WriteCertAndKeyInSeparateFiles { get; set; }

    /// <summary>--vault-concurrency: object fetches in flight to one vault across all mounts on the node.</summary>
    public int VaultConcurrency { get; set; } = 20;

    /// <summary>--healthz-port: sets the health address to :&lt;port&gt;.</summary>
    public int HealthzPort { get; set; } = 8989;

    /// <summary>--healthz-path: accepted for compatibility; health is served at /healthz.</summary>
    public string HealthzPath { get; set; } = "/healthz";

    /// <summary>--healthz-timeout: accepted for compatibility.</summary>
    public TimeSpan HealthzTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>--metrics-backend: accepted for compatibility; metrics are Prometheus.</summary>
    public string MetricsBackend { get; set; } = "Prometheus";

    /// <summary>--prometheus-port: sets the metrics address to :&lt;port&gt;.</summary>
    public int PrometheusPort { get; set; } = 8898;

    /// <summary>--token-proxy-url: identity binding's token proxy, checked to be https.</summary>
    public string TokenProxyUrl { get; set; } = TokenProxySettings.DefaultUrl.ToString();

    /// <summary>--sni-name: the token proxy's TLS server name; empty derives it from the API server's certificate.</summary>
    public string SniName { get; set; } = string.Empty;

    /// <summary>--token-proxy-ca-file: the CA the token proxy's certificate chains to; empty looks in the environment, then the default file.</summary>
    public string TokenProxyCaFile { get; set; } = string.Empty;

    /// <summary>--enable-pprof: accepted for compatibility; there is no pprof.</summary>
    public bool EnablePprof { get; set; }

    /// <summary>--pprof-port: accepted for compatibility.</summary>
    public int PprofPort { get; set; } = 6060;
}
