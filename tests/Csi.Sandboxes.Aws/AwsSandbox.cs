using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text.RegularExpressions;
using Csi.Sandboxes.Aws.Internal;
using Csi.Sandboxes.Common;

namespace Csi.Sandboxes.Aws;

/// <summary>
/// A loopback AWS for tests: Secrets Manager and SSM Parameter Store (JSON 1.1, SigV4 verified) and STS
/// AssumeRoleWithWebIdentity on <see cref="Endpoint"/>, the EKS Pod Identity agent on
/// <see cref="PodIdentityAgentEndpoint"/>. One endpoint serves every region: the region (and service) of a request is
/// the one in its SigV4 credential scope, and data, throttling and failures are kept per region.
/// </summary>
public sealed partial class AwsSandbox : IAsyncDisposable
{
    /// <summary>The audience IRSA tokens carry and STS trusts by default.</summary>
    public const string StsAudience = "sts.amazonaws.com";

    /// <summary>The audience Pod Identity tokens carry.</summary>
    public const string PodIdentityAudience = "pods.eks.amazonaws.com";

    private const string KeyAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

    private readonly AwsSandboxOptions _options;
    private readonly bool _ownsIssuer;
    private readonly ConcurrentDictionary<string, SandboxRegion> _regions = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, IssuedCredential> _credentials = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<AwsRequest> _log = new();
    private readonly Lock _gate = new();
    private readonly Dictionary<string, List<WebIdentityTrust>> _webIdentityRoles = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (string RoleArn, string Audience)> _podIdentityAssociations = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<string>> _allowed = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _failedRegions = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _regionThrottles = new(StringComparer.Ordinal);
    private int _anyRegionThrottle;
    private int _disposed;
    private LoopbackServer? _server;
    private LoopbackServer? _agent;

    private AwsSandbox(AwsSandboxOptions options, ServiceAccountTokenIssuer issuer, bool ownsIssuer)
    {
        _options = options;
        TokenIssuer = issuer;
        _ownsIssuer = ownsIssuer;
    }

    /// <summary>
    /// The plain-HTTP loopback endpoint for Secrets Manager and SSM (<c>POST /</c> with <c>X-Amz-Target</c>) and STS
    /// (<c>POST /</c> form or <c>GET /?Action=…</c>). Give it to clients as <c>ServiceURL</c> or <c>AWS_ENDPOINT_URL_*</c>.
    /// </summary>
    public Uri Endpoint => _server?.BaseAddress ?? throw new InvalidOperationException("not started");

    /// <summary>The full URL of the Pod Identity agent's <c>GET /v1/credentials</c>, on its own loopback port.</summary>
    public Uri PodIdentityAgentEndpoint => new(_agent?.BaseAddress ?? throw new InvalidOperationException("not started"), "v1/credentials");

    /// <summary>The 12-digit account of every role, secret and parameter.</summary>
    public string AccountId => _options.AccountId;

    /// <summary>The issuer of the pod service-account tokens STS and the agent accept.</summary>
    public ServiceAccountTokenIssuer TokenIssuer { get; }

    /// <summary>The sandbox clock.</summary>
    public TimeProvider TimeProvider => _options.TimeProvider;

    /// <summary>Every request answered so far, oldest first.</summary>
    public IReadOnlyList<AwsRequest> Requests => _log.ToArray();

    /// <summary>Starts the service endpoint and the Pod Identity agent on loopback.</summary>
    public static async Task<AwsSandbox> StartAsync(AwsSandboxOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= new AwsSandboxOptions();
        if (options.AccountId.Length != 12 || !options.AccountId.All(char.IsAsciiDigit))
        {
            throw new ArgumentException("AccountId must be 12 digits.", nameof(options));
        }

        var ownsIssuer = options.TokenIssuer is null;
        var issuer = options.TokenIssuer ?? new ServiceAccountTokenIssuer(timeProvider: options.TimeProvider);
        var sandbox = new AwsSandbox(options, issuer, ownsIssuer);
        try
        {
            sandbox._server = await LoopbackServer.StartAsync(sandbox.HandleEndpointAsync, new LoopbackServerOptions(), cancellationToken).ConfigureAwait(false);
            sandbox._agent = await LoopbackServer.StartAsync(sandbox.HandlePodIdentityAgentAsync, new LoopbackServerOptions(), cancellationToken).ConfigureAwait(false);
            return sandbox;
        }
        catch
        {
            await sandbox.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    // ================================================================== identities

    /// <summary>
    /// Creates (or extends) an IRSA role: STS AssumeRoleWithWebIdentity accepts, for <paramref name="roleArn"/>, tokens of
    /// <see cref="TokenIssuer"/> whose subject is <c>system:serviceaccount:&lt;namespace&gt;:&lt;name&gt;</c> and whose
    /// audiences include <paramref name="audience"/>. The audiences of all roles together form the OIDC provider's client-id list.
    /// </summary>
    public void AddWebIdentityRole(string roleArn, string @namespace, string serviceAccountName, string audience = StsAudience)
    {
        ValidateRoleArn(roleArn);
        ArgumentException.ThrowIfNullOrWhiteSpace(@namespace);
        ArgumentException.ThrowIfNullOrWhiteSpace(serviceAccountName);
        ArgumentException.ThrowIfNullOrWhiteSpace(audience);
        lock (_gate)
        {
            if (!_webIdentityRoles.TryGetValue(roleArn, out var trusts))
            {
                trusts = [];
                _webIdentityRoles.Add(roleArn, trusts);
            }

            trusts.Add(new WebIdentityTrust(@namespace, serviceAccountName, audience));
        }
    }

    /// <summary>Associates a service account with a role for the Pod Identity agent (one role per service account; a later call replaces it).</summary>
    public void AddPodIdentityAssociation(string @namespace, string serviceAccountName, string roleArn, string audience = PodIdentityAudience)
    {
        ValidateRoleArn(roleArn);
        ArgumentException.ThrowIfNullOrWhiteSpace(@namespace);
        ArgumentException.ThrowIfNullOrWhiteSpace(serviceAccountName);
        ArgumentException.ThrowIfNullOrWhiteSpace(audience);
        lock (_gate)
        {
            _podIdentityAssociations[$"{@namespace}/{serviceAccountName}"] = (roleArn, audience);
        }
    }

    /// <summary>Issues session credentials for <paramref name="roleArn"/> directly (as if assumed), valid for <paramref name="lifetime"/> (1 hour by default).</summary>
    public SandboxCredentials IssueCredentials(string roleArn, TimeSpan? lifetime = null)
    {
        ValidateRoleArn(roleArn);
        var issued = Issue(roleArn, "sandbox-session", lifetime ?? TimeSpan.FromHours(1));
        return new SandboxCredentials(issued.AccessKeyId, issued.SecretAccessKey, issued.SessionToken, issued.Expiration);
    }

    /// <summary>
    /// Grants <paramref name="roleArn"/> read access (GetSecretValue, DescribeSecret, BatchGetSecretValue, GetParameter(s)) to
    /// every secret and parameter whose name starts with <paramref name="resourceNamePrefix"/> (<c>""</c> for all). Without a
    /// grant a role may read nothing: <c>AccessDeniedException</c>.
    /// </summary>
    public void Allow(string roleArn, string resourceNamePrefix)
    {
        ValidateRoleArn(roleArn);
        ArgumentNullException.ThrowIfNull(resourceNamePrefix);
        lock (_gate)
        {
            if (!_allowed.TryGetValue(roleArn, out var prefixes))
            {
                prefixes = [];
                _allowed.Add(roleArn, prefixes);
            }

            prefixes.Add(resourceNamePrefix);
        }
    }

    /// <summary>The secrets and parameters of region <paramref name="name"/>, created on first use.</summary>
    public SandboxRegion Region(string name)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        return _regions.GetOrAdd(name, n => new SandboxRegion(n, AccountId, TimeProvider));
    }

    // ================================================================== faults

    /// <summary>
    /// The next <paramref name="count"/> authenticated Secrets Manager / SSM requests (signed for <paramref name="region"/>, or
    /// any region when null) fail with <c>ThrottlingException</c> "Rate exceeded" (HTTP 400).
    /// </summary>
    public void ThrottleNextRequests(int count, string? region = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        lock (_gate)
        {
            if (region is null)
            {
                _anyRegionThrottle = count;
            }
            else
            {
                _regionThrottles[region] = count;
            }
        }
    }

    /// <summary>
    /// Every Secrets Manager / SSM request signed for <paramref name="region"/> fails with <paramref name="statusCode"/> (5xx):
    /// 500 <c>InternalServiceError</c> (SSM: <c>InternalServerError</c>), 503 <c>ServiceUnavailable</c>, other codes <c>InternalFailure</c>.
    /// </summary>
    public void FailRegion(string region, int statusCode = 500)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(region);
        ArgumentOutOfRangeException.ThrowIfLessThan(statusCode, 500);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(statusCode, 599);
        lock (_gate)
        {
            _failedRegions[region] = statusCode;
        }
    }

    /// <summary>Ends <see cref="FailRegion"/> for <paramref name="region"/>.</summary>
    public void RestoreRegion(string region)
    {
        lock (_gate)
        {
            _failedRegions.Remove(region);
        }
    }

    // ================================================================== audit

    /// <summary>Requests for <paramref name="operation"/>, optionally only those signed for <paramref name="region"/> or answered with <paramref name="statusCode"/>.</summary>
    public int CountRequests(string operation, string? region = null, int? statusCode = null) =>
        _log.Count(r => string.Equals(r.Operation, operation, StringComparison.Ordinal)
            && (region is null || string.Equals(r.Region, region, StringComparison.Ordinal))
            && (statusCode is null || r.StatusCode == statusCode));

    /// <summary>Forgets the request log.</summary>
    public void ClearRequests() => _log.Clear();

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        if (_server is not null)
        {
            await _server.DisposeAsync().ConfigureAwait(false);
        }

        if (_agent is not null)
        {
            await _agent.DisposeAsync().ConfigureAwait(false);
        }

        if (_ownsIssuer)
        {
            TokenIssuer.Dispose();
        }
    }

    // ================================================================== shared internals

    private IssuedCredential Issue(string roleArn, string sessionName, TimeSpan lifetime)
    {
        var roleName = roleArn[(roleArn.LastIndexOf('/') + 1)..];
        var account = roleArn.Split(':')[4];
        var issued = new IssuedCredential(
            "ASIA" + RandomNumberGenerator.GetString(KeyAlphabet, 16),
            Convert.ToBase64String(RandomNumberGenerator.GetBytes(30)),
            Convert.ToBase64String(RandomNumberGenerator.GetBytes(264)),
            TimeProvider.GetUtcNow() + lifetime,
            roleArn,
            $"arn:aws:sts::{account}:assumed-role/{roleName}/{sessionName}");
        _credentials[issued.AccessKeyId] = issued;
        return issued;
    }

    private bool IsAllowed(string roleArn, string resourceName)
    {
        lock (_gate)
        {
            return _allowed.TryGetValue(roleArn, out var prefixes) && prefixes.Any(p => resourceName.StartsWith(p, StringComparison.Ordinal));
        }
    }

    private void Record(string? region, string service, string operation, int statusCode, string? accessKeyId, string? errorType) =>
        _log.Enqueue(new AwsRequest(region, service, operation, statusCode, accessKeyId, errorType));

    private static void ValidateRoleArn(string roleArn)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(roleArn);
        if (!RoleArnPattern().IsMatch(roleArn))
        {
            throw new ArgumentException($"'{roleArn}' is not a role ARN (arn:aws:iam::<12 digits>:role/<name>).", nameof(roleArn));
        }
    }

    [GeneratedRegex(@"^arn:aws:iam::\d{12}:role/([\w+=,.@-]+/)*[\w+=,.@-]{1,64}$")]
    private static partial Regex RoleArnPattern();
}
