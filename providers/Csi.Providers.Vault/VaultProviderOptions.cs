namespace Csi.Providers.Vault;

/// <summary>
/// The provider's own flags, named as hashicorp/vault-csi-provider names them. A SecretProviderClass parameter
/// overrides the matching flag; a flag overrides the matching VAULT_* environment variable.
/// </summary>
public sealed class VaultProviderOptions
{
    public const string DefaultAuthMount = "kubernetes";
    public const int DefaultCacheSize = 1000;

    /// <summary>-vault-addr: the default Vault address.</summary>
    public string VaultAddr { get; set; } = string.Empty;

    /// <summary>-vault-mount: the default auth mount (kubernetes or jwt method).</summary>
    public string VaultMount { get; set; } = DefaultAuthMount;

    /// <summary>-vault-namespace: the default Vault Enterprise namespace.</summary>
    public string VaultNamespace { get; set; } = string.Empty;

    /// <summary>-vault-tls-ca-cert: a PEM file of CA certificates; wins over <see cref="TlsCaDirectory"/>.</summary>
    public string TlsCaCert { get; set; } = string.Empty;

    /// <summary>-vault-tls-ca-directory: a directory of PEM CA certificates.</summary>
    public string TlsCaDirectory { get; set; } = string.Empty;

    /// <summary>-vault-tls-server-name: the name sent as SNI and checked against Vault's certificate.</summary>
    public string TlsServerName { get; set; } = string.Empty;

    /// <summary>-vault-tls-client-cert: a PEM client certificate for mTLS; needs <see cref="TlsClientKey"/>.</summary>
    public string TlsClientCert { get; set; } = string.Empty;

    /// <summary>-vault-tls-client-key: the PEM key of <see cref="TlsClientCert"/>.</summary>
    public string TlsClientKey { get; set; } = string.Empty;

    /// <summary>-vault-tls-skip-verify: accept any server certificate.</summary>
    public bool TlsSkipVerify { get; set; }

    /// <summary>-cache-size: Vault tokens kept (about one per pod); 0 or less logs in on every mount.</summary>
    public int CacheSize { get; set; } = DefaultCacheSize;

    /// <summary>-hmac-secret-name: accepted for compatibility; the version key never leaves the process here.</summary>
    public string HmacSecretName { get; set; } = "vault-csi-provider-hmac-key";

    /// <summary>-log-level: trace, debug, info, warn, error or off.</summary>
    public string LogLevel { get; set; } = "info";

    /// <summary>-output: the format of -version output upstream (yaml, json, json-pretty); accepted and checked.</summary>
    public string Output { get; set; } = "json";

    /// <summary>Time for one HTTP attempt (VAULT_CLIENT_TIMEOUT, default 60 s as Vault's Go client).</summary>
    public TimeSpan ClientTimeout { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>Retries after the first attempt on 412, 429, 5xx (but 501) and connection errors (VAULT_MAX_RETRIES, default 2).</summary>
    public int MaxRetries { get; set; } = 2;

    /// <summary>Shortest wait before retry n, times n (Vault's Go client: linear jitter 1-1.5 s).</summary>
    public TimeSpan RetryWaitMin { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Longest wait before retry n, times n.</summary>
    public TimeSpan RetryWaitMax { get; set; } = TimeSpan.FromSeconds(1.5);
}
