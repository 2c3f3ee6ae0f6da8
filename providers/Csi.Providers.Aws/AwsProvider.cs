using Amazon.Runtime;
using Amazon.SimpleSystemsManagement;
using Csi.Common.Flags;
using Csi.Common.RateLimiting;
using Csi.ProviderHost;
using Csi.ProviderHost.Credentials;
using Csi.Providers.Aws.Credentials;
using Csi.Providers.Aws.Kubernetes;
using Csi.Providers.Aws.ParameterStore;
using Csi.Providers.Aws.SecretsManager;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Csi.Providers.Aws;

/// <summary>
/// The AWS provider (ASCP-compatible): Secrets Manager secrets and SSM parameters, with IRSA or EKS Pod Identity
/// credentials, an optional failover region, jmesPath extraction and rotation that skips unchanged secrets.
/// </summary>
public sealed class AwsProvider : SecretsProvider, IDisposable
{
    public const string IrsaAudience = "sts.amazonaws.com";
    public const string PodIdentityAudience = "pods.eks.amazonaws.com";

    private readonly AwsProviderOptions _options = new();
    private readonly AwsEnvironment _environment;
    private readonly IKubernetesLookup? _kubernetesOverride;
    private readonly AwsRetryPolicy _retry;
    private readonly HttpClient _http;
    private readonly HttpClient _agentHttp;
    private readonly Lock _lock = new();
    private AwsCredentialProvider? _credentials;
    private ProviderMetrics? _metrics;
    private KubernetesLookup? _kubernetes;
    private CachedKubernetesLookup? _cachedKubernetes;
    private ILogger _logger = NullLogger.Instance;

    public AwsProvider()
        : this(AwsEnvironment.Process)
    {
    }

    /// <summary>For tests: the AWS environment (endpoints, region, agent URL), the Kubernetes reads, and the retry backoff.</summary>
    internal AwsProvider(AwsEnvironment environment, IKubernetesLookup? kubernetes = null, TimeSpan? retryBaseDelay = null)
    {
        _environment = environment;
        _kubernetesOverride = kubernetes;
        _retry = new AwsRetryPolicy(retryBaseDelay);
        _http = new HttpClient(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) }) { Timeout = TimeSpan.FromSeconds(30) };
        _agentHttp = new HttpClient(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) }) { Timeout = Timeout.InfiniteTimeSpan };
    }

    public override string Name => "aws";

    public override string RuntimeName => "secrets-store-csi-driver-provider-aws";

    /// <summary>The SDK app id upstream sends: the binary name and its version, or the EKS add-on version when given.</summary>
    internal string AppId => $"{RuntimeName}-{(_options.EksAddonVersion.Length > 0 ? _options.EksAddonVersion : Version)}";

    internal AwsProviderOptions Options => _options;

    internal CredentialCache<CachedCredentials>? CredentialCache => _credentials?.Cache;

    public override void DefineFlags(FlagSet flags, ProviderHostOptions host)
    {
        ArgumentNullException.ThrowIfNull(flags);
        flags.AddInt("qps", _options.Qps, "Kubernetes API requests per second the provider may make (service-account role and node-region lookups)", v => _options.Qps = (int)Math.Clamp(v, int.MinValue, int.MaxValue));
        flags.AddInt("burst", _options.Burst, "Kubernetes API requests the provider may make at once before --qps paces it", v => _options.Burst = (int)Math.Clamp(v, int.MinValue, int.MaxValue));
        flags.AddString("pod-identity-http-timeout", string.Empty, "how long to wait for the EKS Pod Identity agent (Go duration, e.g. 2s); empty means 5s", v => _options.PodIdentityHttpTimeoutText = v);
        flags.AddString("eks-addon-version", string.Empty, "the EKS add-on version, sent in the AWS user agent instead of the provider's version", v => _options.EksAddonVersion = v);
        flags.AddBool("driver-writes-secrets", false, "accepted for compatibility: this provider always returns the files and the driver always writes them", v => _options.DriverWritesSecrets = v);
        flags.AddString("kubeconfig", string.Empty, "kubeconfig for the Kubernetes API when not running in a cluster (default: in-cluster, else KUBECONFIG)", v => _options.Kubeconfig = v);
    }

    public override void ValidateFlags()
    {
        if (_options.Qps <= 0)
        {
            throw new FlagException($"--qps: must be positive, not {_options.Qps}");
        }
        if (_options.Burst <= 0)
        {
            throw new FlagException($"--burst: must be positive, not {_options.Burst}");
        }
        if (_options.PodIdentityHttpTimeoutText.Length > 0)
        {
            if (!GoDuration.TryParse(_options.PodIdentityHttpTimeoutText, out var timeout) || timeout <= TimeSpan.Zero)
            {
                throw new FlagException($"--pod-identity-http-timeout: \"{_options.PodIdentityHttpTimeoutText}\" is not a positive Go duration (e.g. 2s, 500ms)");
            }
            _options.PodIdentityHttpTimeout = timeout;
        }
    }

    public override void UseMetrics(ProviderMetrics metrics)
    {
        lock (_lock)
        {
            _metrics = metrics;
            _credentials?.Cache.ReportTo(metrics, Name);
        }
    }

    public override void UseLoggerFactory(ILoggerFactory loggerFactory)
    {
        ArgumentNullException.ThrowIfNull(loggerFactory);
        _logger = loggerFactory.CreateLogger("Csi.Providers.Aws");
    }

    public override async Task<MountResult> MountAsync(MountContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.Tokens.Count == 0)
        {
            throw new ProviderException(ProviderErrorKind.FailedPrecondition, "MissingServiceAccountToken",
                $"CSI token error: serviceAccount.tokens not provided - ensure tokenRequests is configured in CSIDriver spec; add the audiences {IrsaAudience} (IRSA) and {PodIdentityAudience} (Pod Identity) to tokenRequests of the CSIDriver secrets-store.csi.k8s.io (Helm value tokenRequests)");
        }
        var parameters = AwsParameters.Parse(context.Parameters);
        if (parameters.UsePodIdentity && !parameters.KnownAddressType)
        {
            AwsProviderLog.UnknownAddressType(_logger, parameters.PreferredAddressType);
        }
        var regions = await RegionResolver.ResolveAsync(parameters, _environment, Kubernetes, context.Pod, _logger, cancellationToken).ConfigureAwait(false);
        var descriptors = SecretDescriptorParser.Parse(parameters.Objects, parameters.Translation, regions);
        if (descriptors.Count == 0)
        {
            return new MountResult([], []);
        }

        var token = Token(context, parameters.UsePodIdentity);
        var identity = await IdentityAsync(context.Pod, parameters.UsePodIdentity, cancellationToken).ConfigureAwait(false);
        var who = identity.ToString();
        var where = string.Join(", ", regions);
        AwsProviderLog.Mounting(_logger, context.Pod.Namespace, context.Pod.Name, who, where, descriptors.Count);

        var credentials = Credentials();
        var disposables = new List<IDisposable>();
        try
        {
            var secretsManager = regions.Select((region, i) => new RegionalClient<ISecretsManagerApi>(region, i > 0, async () =>
            {
                var creds = await credentials.GetAsync(identity, region, token, parameters.PreferredAddressType, cancellationToken).ConfigureAwait(false);
                var endpoint = _environment.EndpointFor(AwsEnvironment.SecretsManagerService) ?? _environment.DefaultEndpoint("secretsmanager", region);
                return new SecretsManagerClient(_http, endpoint, region, creds, _retry, AppId, TimeProvider.System);
            })).ToList();
            var parameterStore = regions.Select((region, i) => new RegionalClient<IParameterStoreApi>(region, i > 0, async () =>
            {
                var creds = await credentials.GetAsync(identity, region, token, parameters.PreferredAddressType, cancellationToken).ConfigureAwait(false);
                var config = AwsClientConfigs.For(new AmazonSimpleSystemsManagementConfig(), _environment, AwsEnvironment.SsmService, region, AppId);
                AWSCredentials sdkCredentials = creds.UseToken
                    ? new SessionAWSCredentials(creds.AccessKey, creds.SecretKey, creds.Token)
                    : new BasicAWSCredentials(creds.AccessKey, creds.SecretKey);
                var client = new AmazonSimpleSystemsManagementClient(sdkCredentials, config);
                lock (disposables)
                {
                    disposables.Add(client);
                }
                return new SdkParameterStore(client);
            })).ToList();

            var smFetcher = new SecretsManagerFetcher(secretsManager, context, _logger);
            var ssmFetcher = new ParameterStoreFetcher(parameterStore, context, _logger);
            var work = new List<Func<CancellationToken, Task<IReadOnlyList<FetchedFile>>>>();
            work.AddRange(descriptors.Where(d => d.Type == AwsObjectType.SecretsManager).Select(d => (Func<CancellationToken, Task<IReadOnlyList<FetchedFile>>>)(ct => smFetcher.FetchAsync(d, ct))));
            work.AddRange(ParameterStoreFetcher.Batches(descriptors.Where(d => d.Type == AwsObjectType.SsmParameter)).Select(b => (Func<CancellationToken, Task<IReadOnlyList<FetchedFile>>>)(ct => ssmFetcher.FetchAsync(b, ct))));

            var fetched = await context.FetchAllAsync(work, (item, ct) => item(ct), cancellationToken).ConfigureAwait(false);
            var files = fetched.SelectMany(f => f).OrderBy(f => f.Order).ToList();
            return new MountResult(files.Select(f => f.File).ToList(), files.Select(f => f.Version).ToList());
        }
        finally
        {
            foreach (var disposable in disposables)
            {
                disposable.Dispose();
            }
        }
    }

    private static string Token(MountContext context, bool usePodIdentity)
    {
        var audience = usePodIdentity ? PodIdentityAudience : IrsaAudience;
        var token = context.RequireToken(audience);
        if (token.Token.Length == 0)
        {
            throw new ProviderException(ProviderErrorKind.FailedPrecondition, "MissingServiceAccountToken",
                $"{(usePodIdentity ? "Pod Identity" : "IRSA")} token extraction failed: token for audience \"{audience}\" is empty; check tokenRequests of the CSIDriver secrets-store.csi.k8s.io");
        }
        return token.Token;
    }

    private async Task<AwsIdentity> IdentityAsync(PodInfo pod, bool usePodIdentity, CancellationToken cancellationToken)
    {
        if (usePodIdentity)
        {
            return new AwsIdentity(true, pod.Namespace, pod.ServiceAccountName, string.Empty);
        }
        if (pod.Namespace.Length == 0 || pod.ServiceAccountName.Length == 0)
        {
            throw ProviderException.InvalidParameter(
                "IRSA needs the pod's namespace and service account, which were not sent; the CSIDriver secrets-store.csi.k8s.io needs podInfoOnMount: true");
        }
        var roleArn = await Kubernetes().GetRoleArnAsync(pod.Namespace, pod.ServiceAccountName, cancellationToken).ConfigureAwait(false)
            ?? throw new ProviderException(ProviderErrorKind.FailedPrecondition, "MissingRoleArn",
                $"An IAM role must be associated with service account {pod.ServiceAccountName} (namespace: {pod.Namespace}); annotate it with {KubernetesLookup.RoleArnAnnotation}: arn:aws:iam::<account>:role/<role>, or set usePodIdentity: \"true\" to use EKS Pod Identity");
        AwsProviderLog.RoleArn(_logger, pod.Namespace, pod.ServiceAccountName, roleArn);
        return new AwsIdentity(false, pod.Namespace, pod.ServiceAccountName, roleArn);
    }

    private IKubernetesLookup Kubernetes()
    {
        if (_kubernetesOverride is not null)
        {
            return _kubernetesOverride;
        }
        lock (_lock)
        {
            var kubeconfig = _options.Kubeconfig;
            _kubernetes ??= new KubernetesLookup(limiter => KubernetesLookup.CreateClient(kubeconfig, limiter, Version), new TokenBucket(_options.Qps, _options.Burst, TimeProvider.System));
            return _cachedKubernetes ??= new CachedKubernetesLookup(_kubernetes, TimeProvider.System);
        }
    }

    private AwsCredentialProvider Credentials()
    {
        lock (_lock)
        {
            if (_credentials is not null)
            {
                return _credentials;
            }
            _credentials = new AwsCredentialProvider(
                new WebIdentityExchange(_environment, AppId),
                new PodIdentityAgent(_agentHttp, _options.PodIdentityHttpTimeout, _environment.ContainerCredentialsUri),
                new CredentialCache<CachedCredentials>("aws-credentials", 1024, AwsCredentialProvider.RefreshBefore, TimeProvider.System));
            if (_metrics is not null)
            {
                _credentials.Cache.ReportTo(_metrics, Name);
            }
            return _credentials;
        }
    }

    public void Dispose()
    {
        _http.Dispose();
        _agentHttp.Dispose();
        _kubernetes?.Dispose();
    }
}
