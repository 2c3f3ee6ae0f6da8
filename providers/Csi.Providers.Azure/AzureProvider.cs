using Azure.Core;
using Azure.Core.Pipeline;
using Csi.Common.Flags;
using Csi.ProviderHost;
using Csi.ProviderHost.Credentials;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Csi.Providers.Azure;

/// <summary>The Azure Key Vault provider: secrets, keys and certificates from one vault per SecretProviderClass.</summary>
public sealed class AzureProvider : SecretsProvider
{
    private readonly HttpPipelineTransport? _transport;
    private readonly AzureProviderOptions _options = new();
    private AzureCloud _defaultCloud = AzureCloud.Public;
    private ILogger _logger = NullLogger.Instance;
    private TokenProxySettings? _tokenProxy;
    private readonly Lock _tokenProxyLock = new();
    // Credentials hold their own Azure AD token until shortly before it expires; an identity unused for an hour is dropped.
    private readonly CredentialCache<TokenCredential> _credentials = new("azure-credential", 256, TimeSpan.Zero, TimeProvider.System, idleTimeout: TimeSpan.FromHours(1));
    private VaultRequestGate _gate = new(20);
    private Task<HttpPipelineTransport>? _tokenProxyTransport;

    public AzureProvider()
    {
    }

    /// <summary>For tests: every Key Vault, Azure AD and IMDS call goes through <paramref name="transport"/>.</summary>
    internal AzureProvider(HttpPipelineTransport transport)
    {
        _transport = transport;
    }

    public override string Name => "azure";

    public override string RuntimeName => "secrets-store-csi-driver-provider-azure";

    internal AzureProviderOptions Options => _options;

    public override void DefineFlags(FlagSet flags, ProviderHostOptions host)
    {
        ArgumentNullException.ThrowIfNull(flags);
        ArgumentNullException.ThrowIfNull(host);

        // Upstream's ports: health on 8989, Prometheus metrics on 8898.
        host.HealthAddr = ":8989";
        host.MetricsAddr = ":8898";
        var o = _options;
        flags.AddString("cloud-name", o.CloudName, "cloud used when a SecretProviderClass sets no cloudName", v => o.CloudName = v);
        flags.AddBool("construct-pem-chain", o.ConstructPemChain, "order the certificates of a PFX-backed secret leaf, intermediate, root when they form one chain", v => o.ConstructPemChain = v);
        flags.AddBool("write-cert-and-key-in-separate-files", o.WriteCertAndKeyInSeparateFiles, "also write <file>.crt and <file>.key for certificate-backed secrets", v => o.WriteCertAndKeyInSeparateFiles = v);
        flags.AddInt("vault-concurrency", o.VaultConcurrency, "object fetches in flight to one vault across all mounts on the node (ours; upstream has no bound)", v => o.VaultConcurrency = (int)Math.Clamp(v, int.MinValue, int.MaxValue));
        flags.AddInt("healthz-port", o.HealthzPort, "port for /healthz (sets the health address to :<port>)", v =>
        {
            o.HealthzPort = (int)Math.Clamp(v, int.MinValue, int.MaxValue);
            host.HealthAddr = ":" + v.ToString(System.Globalization.CultureInfo.InvariantCulture);
        });
        flags.AddString("healthz-path", o.HealthzPath, "accepted for compatibility; health is served at /healthz", v => o.HealthzPath = v);
        flags.AddDuration("healthz-timeout", o.HealthzTimeout, "accepted for compatibility", v => o.HealthzTimeout = v);
        flags.AddString("metrics-backend", o.MetricsBackend, "accepted for compatibility; metrics are Prometheus", v => o.MetricsBackend = v);
        flags.AddInt("prometheus-port", o.PrometheusPort, "port for /metrics (sets the metrics address to :<port>)", v =>
        {
            o.PrometheusPort = (int)Math.Clamp(v, int.MinValue, int.MaxValue);
            host.MetricsAddr = ":" + v.ToString(System.Globalization.CultureInfo.InvariantCulture);
        });
        flags.AddString("token-proxy-url", o.TokenProxyUrl, "identity binding (useAzureTokenProxy): the https address token requests go to instead of the authority", v => o.TokenProxyUrl = v);
        flags.AddString("sni-name", o.SniName, "identity binding: the TLS server name of the token proxy; empty = derived from the API server's certificate", v => o.SniName = v);
        flags.AddString("token-proxy-ca-file", o.TokenProxyCaFile, $"identity binding: PEM file of the CA the token proxy's certificate chains to; empty = ${TokenProxySettings.CaFileVariable}, else {TokenProxySettings.DefaultCaFile} when present, else the system roots", v => o.TokenProxyCaFile = v);
        flags.AddBool("enable-pprof", o.EnablePprof, "accepted for compatibility; there is no pprof", v => o.EnablePprof = v);
        flags.AddInt("pprof-port", o.PprofPort, "accepted for compatibility", v => o.PprofPort = (int)Math.Clamp(v, int.MinValue, int.MaxValue));
    }

    public override void ValidateFlags()
    {
        _defaultCloud = AzureCloud.FromName(_options.CloudName, Environment.GetEnvironmentVariable(AzureCloud.EnvironmentFilePathVariable), out var error)
            ?? throw new FlagException($"--cloud-name: {error}");
        if (_options.VaultConcurrency is < 1 or > 1000)
        {
            throw new FlagException("--vault-concurrency: must be between 1 and 1000");
        }

        _gate = new VaultRequestGate(_options.VaultConcurrency);
        var problem = TokenProxySettings.Validate(_options.TokenProxyUrl, out var proxyUrl);
        if (problem is not null)
        {
            throw new FlagException($"--token-proxy-url: {problem}");
        }

        _tokenProxy = new TokenProxySettings
        {
            Url = proxyUrl!,
            ServerName = _options.SniName.Trim(),
            CaFile = _options.TokenProxyCaFile.Length > 0 ? _options.TokenProxyCaFile : TokenProxySettings.FindCaFile(Environment.GetEnvironmentVariable(TokenProxySettings.CaFileVariable), File.Exists),
        };
    }

    public override void UseMetrics(ProviderMetrics metrics) => _credentials.ReportTo(metrics, Name);

    public override void UseLoggerFactory(ILoggerFactory loggerFactory)
    {
        ArgumentNullException.ThrowIfNull(loggerFactory);
        _logger = loggerFactory.CreateLogger("Csi.Providers.Azure");
    }

    public override async Task<MountResult> MountAsync(MountContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var parameters = AzureParametersParser.Parse(context.Parameters, context.Secrets, context.Tokens, _defaultCloud, out var settings);
        if (parameters.Objects.Count == 0)
        {
            return new MountResult([], []);
        }

        var identity = Identity(settings);
        AzureProviderLog.Mounting(_logger, parameters.Objects.Count, parameters.VaultUri, context.Pod.Namespace, context.Pod.Name, identity);
        var tokenProxy = settings.Mode == AzureIdentityMode.AzureTokenProxy ? await TokenProxyTransportAsync(cancellationToken).ConfigureAwait(false) : null;
        var credential = _credentials.GetOrAdd(AzureCredentialKey.For(settings, parameters, context.Pod.Namespace, context.Pod.Name),
            () => AzureCredentialFactory.Create(settings, parameters, context.Pod, _transport, tokenProxy));
        var fetcher = new KeyVaultFetcher(parameters, credential, _transport, _options.ConstructPemChain, _options.WriteCertAndKeyInSeparateFiles, context, _logger, _gate);
        var fetched = await context.FetchAllAsync(parameters.Objects, fetcher.FetchAsync, cancellationToken).ConfigureAwait(false);
        var all = fetched.SelectMany(f => f).ToList();
        return new MountResult(all.Select(f => f.File).ToList(), all.Select(f => f.Version).DistinctBy(v => v.Id).ToList());
    }

    /// <summary>One transport to the token proxy for the process; the server name is derived on first use (again after a failure).</summary>
    private async Task<HttpPipelineTransport> TokenProxyTransportAsync(CancellationToken cancellationToken)
    {
        Task<HttpPipelineTransport> pending;
        lock (_tokenProxyLock)
        {
            if (_tokenProxyTransport is null || _tokenProxyTransport.IsFaulted || _tokenProxyTransport.IsCanceled)
            {
                _tokenProxyTransport = CreateTokenProxyTransportAsync(_tokenProxy ?? throw new InvalidOperationException("flags were not validated"));
            }

            pending = _tokenProxyTransport;
        }

        try
        {
            return await pending.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is InvalidOperationException or IOException or System.Security.Cryptography.CryptographicException or TimeoutException)
        {
            throw new ProviderException(ProviderErrorKind.Unavailable, "TokenProxyUnavailable", $"identity binding: {e.Message}");
        }
    }

    private static async Task<HttpPipelineTransport> CreateTokenProxyTransportAsync(TokenProxySettings settings)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        try
        {
            var serverName = settings.ServerName.Length > 0 ? settings.ServerName : await IdentityBindingServerName.DiscoverAsync(settings, timeout.Token).ConfigureAwait(false);
            return TokenProxyTransport.Create(settings, serverName);
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested)
        {
            throw new TimeoutException($"no TLS answer from {settings.Url.Host}:{settings.Url.Port} within 10s; set --sni-name to the identity-binding server name");
        }
    }

    private static string Identity(AzureCredentialSettings settings) => settings.Mode switch
    {
        AzureIdentityMode.None when settings.UsesWorkloadIdentity => "workload identity " + settings.ClientId,
        AzureIdentityMode.None => "service principal " + settings.ServicePrincipalClientId,
        AzureIdentityMode.VMManagedIdentity => settings.UserAssignedIdentityId.Length > 0 ? "user-assigned managed identity " + settings.UserAssignedIdentityId : "system-assigned managed identity",
        AzureIdentityMode.PodIdentity => "pod identity",
        _ => "identity binding " + settings.ClientId,
    };
}
