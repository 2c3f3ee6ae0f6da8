namespace Csi.Providers.Vault;

/// <summary>Timeouts and retries of the Vault HTTP client (the Go client's defaults unless VAULT_* says otherwise).</summary>
internal sealed record VaultClientSettings(TimeSpan Timeout, int MaxRetries, TimeSpan RetryWaitMin, TimeSpan RetryWaitMax);
