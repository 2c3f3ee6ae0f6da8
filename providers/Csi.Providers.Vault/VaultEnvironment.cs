using System.Globalization;
using Csi.Common.Flags;

namespace Csi.Providers.Vault;

/// <summary>
/// The VAULT_* variables Vault's Go client reads (api.DefaultConfig), the lowest layer of configuration:
/// a flag overrides them and a SecretProviderClass parameter overrides both.
/// </summary>
internal sealed record VaultEnvironment
{
    public string Address { get; init; } = string.Empty;

    public string AddressSource { get; init; } = "VAULT_ADDR";

    public string Namespace { get; init; } = string.Empty;

    public string CaCert { get; init; } = string.Empty;

    public string CaPath { get; init; } = string.Empty;

    public string ClientCert { get; init; } = string.Empty;

    public string ClientKey { get; init; } = string.Empty;

    public string TlsServerName { get; init; } = string.Empty;

    public bool SkipVerify { get; init; }

    public TimeSpan? ClientTimeout { get; init; }

    public int? MaxRetries { get; init; }

    /// <summary>Reads the variables; a value Vault's client would refuse throws <see cref="FlagException"/> naming it.</summary>
    public static VaultEnvironment Read(Func<string, string?> get)
    {
        ArgumentNullException.ThrowIfNull(get);
        string Value(string name) => get(name)?.Trim() ?? string.Empty;

        // VAULT_AGENT_ADDR wins over VAULT_ADDR, as in the Go client.
        var agent = Value("VAULT_AGENT_ADDR");
        var environment = new VaultEnvironment
        {
            Address = agent.Length > 0 ? agent : Value("VAULT_ADDR"),
            AddressSource = agent.Length > 0 ? "VAULT_AGENT_ADDR" : "VAULT_ADDR",
            Namespace = Value("VAULT_NAMESPACE"),
            CaCert = Value("VAULT_CACERT"),
            CaPath = Value("VAULT_CAPATH"),
            ClientCert = Value("VAULT_CLIENT_CERT"),
            ClientKey = Value("VAULT_CLIENT_KEY"),
            TlsServerName = Value("VAULT_TLS_SERVER_NAME"),
        };

        var skip = Value("VAULT_SKIP_VERIFY");
        if (skip.Length > 0)
        {
            environment = environment with
            {
                SkipVerify = GoBool.TryParse(skip, out var parsed) ? parsed
                    : throw new FlagException($"VAULT_SKIP_VERIFY: \"{skip}\" is not a boolean; use true or false"),
            };
        }

        var timeout = Value("VAULT_CLIENT_TIMEOUT");
        if (timeout.Length > 0)
        {
            // Go's parseutil.ParseDurationSecond: a bare number is seconds.
            TimeSpan parsed;
            if (long.TryParse(timeout, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds) && seconds <= int.MaxValue)
            {
                parsed = TimeSpan.FromSeconds(seconds);
            }
            else if (!GoDuration.TryParse(timeout, out parsed))
            {
                throw new FlagException($"VAULT_CLIENT_TIMEOUT: \"{timeout}\" is not a duration; use seconds (60) or a Go duration (1m30s)");
            }
            if (parsed <= TimeSpan.Zero)
            {
                throw new FlagException($"VAULT_CLIENT_TIMEOUT: \"{timeout}\" must be more than zero");
            }
            environment = environment with { ClientTimeout = parsed };
        }

        var retries = Value("VAULT_MAX_RETRIES");
        if (retries.Length > 0)
        {
            if (!int.TryParse(retries, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var count) || count is < 0 or > 100)
            {
                throw new FlagException($"VAULT_MAX_RETRIES: \"{retries}\" is not a number of retries between 0 and 100");
            }
            environment = environment with { MaxRetries = count };
        }
        return environment;
    }
}
