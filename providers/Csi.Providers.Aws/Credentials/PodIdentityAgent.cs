using System.Globalization;
using System.Net;
using System.Text.Json;
using Amazon.Runtime;
using Csi.ProviderHost;

namespace Csi.Providers.Aws.Credentials;

/// <summary>
/// The EKS Pod Identity agent on the node: GET /v1/credentials with the pod's token (audience
/// pods.eks.amazonaws.com) as Authorization. IPv4 169.254.170.23 or IPv6 fd00:ec2::23 as preferredAddressType says
/// (auto: IPv4, then IPv6), or AWS_CONTAINER_CREDENTIALS_FULL_URI when set.
/// </summary>
internal sealed class PodIdentityAgent
{
    public static readonly Uri IPv4Endpoint = new("http://169.254.170.23/v1/credentials");
    public static readonly Uri IPv6Endpoint = new("http://[fd00:ec2::23]/v1/credentials");

    private readonly HttpClient _http;
    private readonly TimeSpan _timeout;
    private readonly Uri? _override;

    public PodIdentityAgent(HttpClient http, TimeSpan timeout, Uri? endpointOverride)
    {
        _http = http;
        _timeout = timeout;
        _override = endpointOverride;
    }

    /// <summary>The endpoints to try, in order, for a preferredAddressType.</summary>
    public IReadOnlyList<Uri> Endpoints(string preferredAddressType) =>
        _override is not null ? [_override]
        : preferredAddressType.ToLowerInvariant() switch
        {
            "ipv4" => [IPv4Endpoint],
            "ipv6" => [IPv6Endpoint],
            _ => [IPv4Endpoint, IPv6Endpoint],
        };

    public async Task<CachedCredentials> GetAsync(string token, string preferredAddressType, CancellationToken cancellationToken)
    {
        ProviderException? last = null;
        foreach (var endpoint in Endpoints(preferredAddressType))
        {
            try
            {
                return await GetFromAsync(endpoint, token, cancellationToken).ConfigureAwait(false);
            }
            catch (ProviderException e) when (e.Kind == ProviderErrorKind.Unavailable)
            {
                last = e;
            }
        }
        throw last!;
    }

    private async Task<CachedCredentials> GetFromAsync(Uri endpoint, string token, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_timeout);
        using var request = new HttpRequestMessage(HttpMethod.Get, endpoint);
        request.Headers.TryAddWithoutValidation("Authorization", token);
        HttpStatusCode status;
        byte[] body;
        try
        {
            using var response = await _http.SendAsync(request, timeout.Token).ConfigureAwait(false);
            status = response.StatusCode;
            body = await response.Content.ReadAsByteArrayAsync(timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw Failure(ProviderErrorKind.Unavailable, endpoint, $"no answer within --pod-identity-http-timeout ({_timeout.TotalSeconds.ToString(CultureInfo.InvariantCulture)}s)",
                "check that the eks-pod-identity-agent add-on runs on this node, or raise --pod-identity-http-timeout");
        }
        catch (HttpRequestException e)
        {
            throw Failure(ProviderErrorKind.Unavailable, endpoint, $"cannot reach the agent ({e.Message})",
                "install the eks-pod-identity-agent add-on, or set preferredAddressType to the address family the node uses");
        }

        PodIdentityAgentResponse? parsed = null;
        try
        {
            parsed = body.Length == 0 ? null : JsonSerializer.Deserialize(body, CredentialsJsonContext.Default.PodIdentityAgentResponse);
        }
        catch (JsonException)
        {
        }
        if (status != HttpStatusCode.OK)
        {
            var detail = Redact(parsed?.Message ?? parsed?.Code ?? status.ToString(), token);
            var code = (int)status switch
            {
                400 or 401 => ProviderErrorKind.Unauthenticated,
                403 or 404 => ProviderErrorKind.PermissionDenied,
                >= 500 => ProviderErrorKind.Unavailable,
                _ => ProviderErrorKind.FailedPrecondition,
            };
            throw Failure(code, endpoint, $"HTTP {(int)status}: {detail}",
                "create an EKS Pod Identity association for the pod's namespace and service account, and make sure the CSIDriver requests the pods.eks.amazonaws.com token");
        }
        if (parsed is not { AccessKeyId.Length: > 0, SecretAccessKey.Length: > 0 })
        {
            throw Failure(ProviderErrorKind.Unavailable, endpoint, "the answer holds no credentials", "check the eks-pod-identity-agent version");
        }
        var expiration = DateTimeOffset.TryParse(parsed.Expiration, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at)
            ? at
            : DateTimeOffset.UtcNow.AddMinutes(15);
        return new CachedCredentials(new ImmutableCredentials(parsed.AccessKeyId, parsed.SecretAccessKey, parsed.Token ?? string.Empty), expiration);
    }

    private static ProviderException Failure(ProviderErrorKind code, Uri endpoint, string what, string fix) =>
        new(code, "PodIdentityFailed", $"Pod Identity: failed to get credentials from the agent at {endpoint}: {what}; {fix}");

    internal static string Redact(string text, string secret) =>
        secret.Length == 0 ? text : text.Replace(secret, "<redacted>", StringComparison.Ordinal);
}
