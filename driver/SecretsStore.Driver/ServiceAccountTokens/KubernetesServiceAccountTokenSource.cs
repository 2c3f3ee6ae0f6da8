using System.Globalization;
using System.Text;
using System.Text.Json;
using Csi.Kubernetes;
using SecretsStore.Driver.Diagnostics;
using SecretsStore.Driver.Events;
using SecretsStore.Driver.Kubernetes;
using SecretsStore.Driver.Kubernetes.Models;
using SecretsStore.Driver.Publishing;

namespace SecretsStore.Driver.ServiceAccountTokens;

/// <summary>
/// What kubelet does for a CSIDriver with <c>spec.tokenRequests</c>, for the rotation reconciler: one TokenRequest
/// per audience for the pod's service account, bound to the pod, formatted as the JSON map audience ->
/// {token, expirationTimestamp}. Each token is reused until 80% of its lifetime has passed or it is 24 h old, as
/// kubelet reuses them (<see cref="ServiceAccountTokenCache"/>). The CSIDriver is read again at most every
/// <see cref="CsiDriverTtl"/>.
/// </summary>
public sealed class KubernetesServiceAccountTokenSource : IServiceAccountTokenSource, IDisposable
{
    public static readonly TimeSpan CsiDriverTtl = TimeSpan.FromMinutes(5);

    private readonly KubernetesApiClient _api;
    private readonly string _driverName;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly SemaphoreSlim _read = new(1, 1);
    private readonly ServiceAccountTokenCache _cache;
    private IReadOnlyList<CsiDriverTokenRequest>? _requests;
    private long _readAt;

    public KubernetesServiceAccountTokenSource(KubernetesApiClient api, string driverName, ILogger<KubernetesServiceAccountTokenSource> logger, TimeProvider time)
    {
        _api = api;
        _driverName = driverName;
        _logger = logger;
        _time = time;
        _cache = new ServiceAccountTokenCache(_time);
    }

    /// <summary>The tokens kept for reuse.</summary>
    public ServiceAccountTokenCache Cache => _cache;

    public void Forget(string podUid) => _cache.Forget(podUid);

    public void Dispose() => _read.Dispose();

    public async Task<string?> GetTokensAsync(PodReference pod, string serviceAccountName, CancellationToken cancellationToken)
    {
        var requests = await TokenRequestsAsync(cancellationToken).ConfigureAwait(false);
        if (requests.Count == 0)
        {
            return null;
        }
        if (serviceAccountName.Length == 0 || pod.Uid.Length == 0)
        {
            throw new SecretsStoreException(ErrorReason.KubernetesApiError, $"CSIDriver {_driverName} asks for service-account tokens, but the volume of pod {pod.Namespace}/{pod.Name} carries no service account name or pod uid (CSIDriver podInfoOnMount must be true)");
        }
        var requested = 0;
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            foreach (var request in requests)
            {
                if (!_cache.TryGet(pod.Uid, serviceAccountName, request.Audience, request.ExpirationSeconds, out var token, out var expiration))
                {
                    (token, expiration) = await RequestAsync(pod, serviceAccountName, request, cancellationToken).ConfigureAwait(false);
                    requested++;
                }
                // As kubelet's json.Marshal of TokenRequestStatus: {"token": ..., "expirationTimestamp": RFC 3339 in UTC, whole seconds}.
                writer.WriteStartObject(request.Audience);
                writer.WriteString("token", token);
                writer.WriteString("expirationTimestamp", expiration.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture));
                writer.WriteEndObject();
            }
            writer.WriteEndObject();
        }
        if (requested > 0)
        {
            DriverLog.ServiceAccountTokensRequested(_logger, pod.Namespace, pod.Name, serviceAccountName, requested, requests.Count - requested);
        }
        return Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }

    private async Task<(string Token, DateTimeOffset Expiration)> RequestAsync(PodReference pod, string serviceAccountName, CsiDriverTokenRequest request, CancellationToken cancellationToken)
    {
        var body = new TokenRequestResource
        {
            Spec = new TokenRequestSpec
            {
                Audiences = request.Audience.Length == 0 ? [] : [request.Audience],
                ExpirationSeconds = request.ExpirationSeconds,
                BoundObjectRef = new BoundObjectReference { ApiVersion = "v1", Kind = "Pod", Name = pod.Name, Uid = pod.Uid },
            },
        };
        TokenRequestResource answer;
        try
        {
            answer = await _api.CreateSubresourceAsync(ApiResource.ServiceAccounts, pod.Namespace, serviceAccountName, "token", body, SecretsStoreJsonContext.Default.TokenRequestResource, cancellationToken).ConfigureAwait(false);
        }
        catch (KubernetesApiException e)
        {
            var hint = e.StatusCode == 403 ? "; grant the driver create on serviceaccounts/token" : string.Empty;
            throw new SecretsStoreException(ErrorReason.KubernetesApiError, $"could not request a token for service account {pod.Namespace}/{serviceAccountName} (audience \"{request.Audience}\"): {e.Message}{hint}", e);
        }
        if (answer.Status is not { Token.Length: > 0 } status)
        {
            throw new SecretsStoreException(ErrorReason.KubernetesApiError, $"the TokenRequest for service account {pod.Namespace}/{serviceAccountName} (audience \"{request.Audience}\") was answered without a token");
        }
        // The lifetime the API granted (it may differ from the one asked for), as kubelet reads it from the answer's spec.
        var granted = answer.Spec?.ExpirationSeconds ?? request.ExpirationSeconds;
        _cache.Put(pod.Uid, serviceAccountName, request.Audience, request.ExpirationSeconds, status.Token, status.ExpirationTimestamp, granted is > 0 ? TimeSpan.FromSeconds(granted.Value) : null);
        return (status.Token, status.ExpirationTimestamp);
    }

    private async Task<IReadOnlyList<CsiDriverTokenRequest>> TokenRequestsAsync(CancellationToken cancellationToken)
    {
        if (Volatile.Read(ref _requests) is { } cached && _time.GetElapsedTime(Volatile.Read(ref _readAt)) < CsiDriverTtl)
        {
            return cached;
        }
        await _read.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_requests is { } again && _time.GetElapsedTime(_readAt) < CsiDriverTtl)
            {
                return again;
            }
            CsiDriverResource? driver;
            try
            {
                driver = await _api.GetAsync(SecretsStoreResources.CsiDrivers, null, _driverName, SecretsStoreJsonContext.Default.CsiDriverResource, cancellationToken).ConfigureAwait(false);
            }
            catch (KubernetesApiException e)
            {
                if (_requests is { } stale)
                {
                    DriverLog.CsiDriverReadFailed(_logger, _driverName, e.Message);
                    return stale; // the last known answer beats failing every rotation while the API is away
                }
                var hint = e.StatusCode == 403 ? "; grant the driver get on csidrivers" : string.Empty;
                throw new SecretsStoreException(ErrorReason.KubernetesApiError, $"could not read CSIDriver {_driverName} for its tokenRequests: {e.Message}{hint}", e);
            }
            var requests = driver?.Spec.TokenRequests?.Where(r => r is not null).ToArray() ?? [];
            Volatile.Write(ref _readAt, _time.GetTimestamp());
            Volatile.Write(ref _requests, requests);
            return requests;
        }
        finally
        {
            _read.Release();
        }
    }
}
