using Csi.Common.Flags;
using Csi.ProviderHost;
using Csi.ProviderHost.Credentials;
using Microsoft.Extensions.Logging;

namespace Csi.Providers.Vault.Tests.Unit;

public sealed class VaultProviderFlagsTests : IDisposable
{
    private readonly Dictionary<string, string> _environment = [];
    private readonly VaultProvider _provider;

    public VaultProviderFlagsTests()
    {
        _provider = new VaultProvider(loggerFactory: Microsoft.Extensions.Logging.Abstractions.NullLoggerFactory.Instance, environment: n => _environment.GetValueOrDefault(n));
    }

    public void Dispose() => _provider.Dispose();

    [Fact]
    public void Parse_UpstreamFlags_BindTheOptions()
    {
        var host = ProviderHostOptions.Parse(_provider,
        [
            "-endpoint=/provider/vault.sock", "-vault-addr=https://vault:8200", "-vault-mount", "jwt", "-vault-namespace=ns1",
            "-vault-tls-ca-cert=/ca.pem", "-vault-tls-ca-directory=/cas", "-vault-tls-server-name=vault.internal",
            "-vault-tls-client-cert=/tls.crt", "-vault-tls-client-key=/tls.key", "-vault-tls-skip-verify",
            "-cache-size=5", "-hmac-secret-name=other", "-log-level=debug", "-output=yaml", "-health-addr=:8099",
        ]);

        var o = _provider.Options;
        Assert.Equal(("https://vault:8200", "jwt", "ns1"), (o.VaultAddr, o.VaultMount, o.VaultNamespace));
        Assert.Equal(("/ca.pem", "/cas", "vault.internal", "/tls.crt", "/tls.key", true), (o.TlsCaCert, o.TlsCaDirectory, o.TlsServerName, o.TlsClientCert, o.TlsClientKey, o.TlsSkipVerify));
        Assert.Equal((5, "other", "debug", "yaml"), (o.CacheSize, o.HmacSecretName, o.LogLevel, o.Output));
        Assert.Equal(("/provider/vault.sock", ":8099", LogLevel.Debug), (host.SocketPath("vault"), host.HealthAddr, host.MinimumLogLevel));
    }

    [Fact]
    public void Parse_Defaults_AreUpstreams()
    {
        var host = ProviderHostOptions.Parse(_provider, []);
        var o = _provider.Options;
        Assert.Equal(("", "kubernetes", 1000, "info", false), (o.VaultAddr, o.VaultMount, o.CacheSize, o.LogLevel, o.TlsSkipVerify));
        Assert.Equal(0, host.LogVerbosity);
    }

    [Fact]
    public void Parse_DeprecatedDebug_TurnsOnDebugLogs()
        => Assert.Equal(LogLevel.Debug, ProviderHostOptions.Parse(_provider, ["-debug"]).MinimumLogLevel);

    [Fact]
    public void Parse_CacheSize_SizesTheTokenCache()
    {
        ProviderHostOptions.Parse(_provider, ["-cache-size=1"]);
        _provider.Tokens.GetOrAdd(CredentialKey.For(null, "a"), () => new VaultTokenSession(TimeProvider.System));
        _provider.Tokens.GetOrAdd(CredentialKey.For(null, "b"), () => new VaultTokenSession(TimeProvider.System));
        Assert.Equal(1, _provider.Tokens.Count);
    }

    [Theory]
    [InlineData("-log-level=verbose", "--log-level: \"verbose\" is not a log level")]
    [InlineData("-output=xml", "--output should be one of: 'yaml', 'json', 'json-pretty'")]
    [InlineData("-vault-addr=vault:8200", "--vault-addr: \"vault:8200\" is not a Vault address")]
    [InlineData("-vault-mount=/", "--vault-mount: must name the auth mount")]
    [InlineData("-vault-tls-client-cert=/tls.crt", "--vault-tls-client-cert, --vault-tls-client-key: both client cert and client key must be provided")]
    [InlineData("-cache-size=lots", "--cache-size: invalid integer \"lots\"")]
    public void Parse_BadFlag_NamesIt(string arg, string expected)
        => Assert.StartsWith(expected, Assert.Throws<FlagException>(() => ProviderHostOptions.Parse(_provider, [arg])).Message, StringComparison.Ordinal);

    [Theory]
    [InlineData("VAULT_SKIP_VERIFY", "sometimes", "VAULT_SKIP_VERIFY: \"sometimes\" is not a boolean")]
    [InlineData("VAULT_CLIENT_TIMEOUT", "soon", "VAULT_CLIENT_TIMEOUT: \"soon\" is not a duration")]
    [InlineData("VAULT_MAX_RETRIES", "-1", "VAULT_MAX_RETRIES: \"-1\" is not a number of retries")]
    [InlineData("VAULT_ADDR", "vault", "VAULT_ADDR: \"vault\" is not a Vault address")]
    public void Parse_BadEnvironment_StopsTheStart_NamingTheVariable(string name, string value, string expected)
    {
        _environment[name] = value;
        Assert.StartsWith(expected, Assert.Throws<FlagException>(() => ProviderHostOptions.Parse(_provider, [])).Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("90", 90)]
    [InlineData("1m30s", 90)]
    public void Environment_ClientTimeout_IsSecondsOrADuration(string value, int seconds)
        => Assert.Equal(TimeSpan.FromSeconds(seconds), VaultEnvironment.Read(n => n == "VAULT_CLIENT_TIMEOUT" ? value : null).ClientTimeout);

    [Fact]
    public void Usage_ListsTheUpstreamFlags()
    {
        var usage = ProviderHostOptions.Usage(_provider);
        foreach (var flag in new[] { "vault-addr", "vault-mount", "vault-namespace", "vault-tls-ca-cert", "vault-tls-ca-directory", "vault-tls-server-name", "vault-tls-client-cert", "vault-tls-client-key", "vault-tls-skip-verify", "cache-size", "hmac-secret-name", "log-level", "debug", "output" })
        {
            Assert.Contains("--" + flag + "\n", usage.Replace(" value\n", "\n", StringComparison.Ordinal), StringComparison.Ordinal);
        }
    }
}
