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
    private AzureCloud _defaultCloud = AzureCloud.Public;
    private string _cloudName = AzureCloud.Public.Name;
    private bool _constructPemChain = true;
    private bool _separateCertAndKey;
    private ILogger _logger = NullLogger.Instance;
    private string _tokenProxyUrl = TokenProxySettings.DefaultUrl.ToString();
    private string _sniName = string.Empty;
    private string _tokenProxyCaFile = string.Empty;
    private TokenProxySettings? _tokenProxy;
    private readonly Lock _tokenProxyLock = new();
    // Credentials hold their own Azure AD token until shortly before it expires; an identity unused for an hour is dropped.
    private readonly CredentialCache<TokenCredential> _credentials = new("azure-credential", 256, TimeSpan.Zero, TimeProvider.System, idleTimeout: TimeSpan.FromHours(1));
    private int _vaultConcurrency = 20;
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

    public override void DefineFlags(FlagSet flags, ProviderHostOptions host)
    {
        ArgumentNullException.ThrowIfNull(flags);
        ArgumentNullException.ThrowIfNull(host);

        // Upstream's ports: health on 8989, Prometheus metrics on 8898.
        host.HealthAddr = ":8989";
        host.MetricsAddr = ":8898";
        flags.AddString("cloud-name", AzureCloud.Public.Name, "cloud used when a SecretProviderClass sets no cloudName", v => _cloudName = v);
        flags.AddBool("construct-pem-chain", true, "order the certificates of a PFX-backed secret leaf, intermediate, root when they form one chain", v => _constructPemChain = v);
        flags.AddBool("write-cert-and-key-in-separate-files", false, "also write <file>.crt and <file>.key for certificate-backed secrets", v => _separateCertAndKey = v);
        flags.AddInt("vault-concurrency", 20, "object fetches in flight to one vault across all mounts on the node (ours; upstream has no bound)", v => _vaultConcurrency = (int)Math.Clamp(v, int.MinValue, int.MaxValue));
        flags.AddInt("healthz-port", 8989, "port for /healthz (sets the health address to :<port>)", v => host.HealthAddr = ":" + v.ToString(System.Globalization.CultureInfo.InvariantCulture));
        flags.AddString("healthz-path", "/healthz", "accepted for compatibility; health is served at /healthz", _ => { });
        flags.AddDuration("healthz-timeout", TimeSpan.FromSeconds(5), "accepted for compatibility", _ => { });
        flags.AddString("metrics-backend", "Prometheus", "accepted for compatibility; metrics are Prometheus", _ => { });
        flags.AddInt("prometheus-port", 8898, "port for /metrics (sets the metrics address to :<port>)", v => host.MetricsAddr = ":" + v.ToString(System.Globalization.CultureInfo.InvariantCulture));
        flags.AddString("token-proxy-url", TokenProxySettings.DefaultUrl.ToString(), "identity binding (useAzureTokenProxy): the https address token requests go to instead of the authority", v => _tokenProxyUrl = v);
        flags.AddString("sni-name", string.Empty, "identity binding: the TLS server name of the token proxy; empty = derived from the API server's certificate", v => _sniName = v);
        flags.AddString("token-proxy-ca-file", string.Empty, $"identity binding: PEM file of the CA the token proxy's certificate chains to; empty = ${TokenProxySettings.CaFileVariable}, else {TokenProxySettings.DefaultCaFile} when present, else the system roots", v => _tokenProxyCaFile = v);
        flags.AddBool("enable-pprof", false, "accepted for compatibility; there is no pprof", _ => { });
        flags.AddInt("pprof-port", 6060, "accepted for compatibility", _ => { });
    }

    public override void ValidateFlags()
    {
        _defaultCloud = AzureCloud.FromName(_cloudName, Environment.GetEnvironmentVariable(AzureCloud.EnvironmentFilePathVariable), out var error)
            ?? throw new FlagException($"--cloud-name: {error}");
        if (_vaultConcurrency is < 1 or > 1000)
        {
            throw new FlagException("--vault-concurrency: must be between 1 and 1000");
        }

        _gate = new VaultRequestGate(_vaultConcurrency);
        var problem = TokenProxySettings.Validate(_tokenProxyUrl, out var proxyUrl);
        if (problem is not null)
        {
            throw new FlagException($"--token-proxy-url: {problem}");
        }

        _tokenProxy = new TokenProxySettings
        {
            Url = proxyUrl!,
            ServerName = _sniName.Trim(),
            CaFile = _tokenProxyCaFile.Length > 0 ? _tokenProxyCaFile : TokenProxySettings.FindCaFile(Environment.GetEnvironmentVariable(TokenProxySettings.CaFileVariable), File.Exists),
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
        var fetcher = new KeyVaultFetcher(parameters, credential, _transport, _constructPemChain, _separateCertAndKey, context, _logger, _gate);
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
