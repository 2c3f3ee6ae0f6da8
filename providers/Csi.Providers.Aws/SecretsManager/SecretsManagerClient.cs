using System.Globalization;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Amazon.Runtime;

namespace Csi.Providers.Aws.SecretsManager;

/// <summary>
/// A small Secrets Manager client over JSON 1.1 (POST /, <c>X-Amz-Target: secretsmanager.&lt;Op&gt;</c>), signed with
/// SigV4 for one region, retried as the SDKs' standard mode. Service errors surface as
/// <see cref="AmazonServiceException"/> with the service's code, message, status and request id.
/// </summary>
internal sealed class SecretsManagerClient : ISecretsManagerApi
{
    public const string SigningService = "secretsmanager";
    private const string ContentType = "application/x-amz-json-1.1";

    private readonly HttpClient _http;
    private readonly Uri _endpoint;
    private readonly string _region;
    private readonly ImmutableCredentials _credentials;
    private readonly AwsRetryPolicy _retry;
    private readonly string _userAgent;
    private readonly TimeProvider _time;

    public SecretsManagerClient(HttpClient http, Uri endpoint, string region, ImmutableCredentials credentials, AwsRetryPolicy retry, string userAgent, TimeProvider time)
    {
        _http = http;
        _endpoint = endpoint;
        _region = region;
        _credentials = credentials;
        _retry = retry;
        _userAgent = userAgent;
        _time = time;
    }

    public Task<GetSecretValueResponse> GetSecretValueAsync(GetSecretValueRequest request, CancellationToken cancellationToken) =>
        SendAsync("GetSecretValue", request, SecretsManagerJsonContext.Default.GetSecretValueRequest, SecretsManagerJsonContext.Default.GetSecretValueResponse, cancellationToken);

    public Task<DescribeSecretResponse> DescribeSecretAsync(string secretId, CancellationToken cancellationToken) =>
        SendAsync("DescribeSecret", new DescribeSecretRequest { SecretId = secretId }, SecretsManagerJsonContext.Default.DescribeSecretRequest, SecretsManagerJsonContext.Default.DescribeSecretResponse, cancellationToken);

    private async Task<TResponse> SendAsync<TRequest, TResponse>(
        string operation,
        TRequest request,
        JsonTypeInfo<TRequest> requestType,
        JsonTypeInfo<TResponse> responseType,
        CancellationToken cancellationToken)
    {
        var body = JsonSerializer.SerializeToUtf8Bytes(request, requestType);
        var invocationId = Guid.NewGuid().ToString();
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                var response = await SendOnceAsync(operation, body, invocationId, attempt, responseType, cancellationToken).ConfigureAwait(false);
                _retry.Succeeded();
                return response;
            }
            catch (Exception e) when (e is AmazonServiceException or HttpRequestException or IOException or TimeoutException
                || (e is TaskCanceledException && !cancellationToken.IsCancellationRequested))
            {
                var failure = e is TaskCanceledException ? new TimeoutException($"{operation} timed out", e) : e;
                var delay = _retry.NextDelay(failure, attempt);
                if (delay is null)
                {
                    if (failure == e)
                    {
                        throw;
                    }
                    throw failure;
                }
                await Task.Delay(delay.Value, _time, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private async Task<TResponse> SendOnceAsync<TResponse>(
        string operation,
        byte[] body,
        string invocationId,
        int attempt,
        JsonTypeInfo<TResponse> responseType,
        CancellationToken cancellationToken)
    {
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
        {
            ["Host"] = _endpoint.IsDefaultPort ? _endpoint.Host : _endpoint.Authority,
            ["Content-Type"] = ContentType,
            ["X-Amz-Target"] = "secretsmanager." + operation,
        };
        SigV4Signer.Sign(headers, _endpoint, "POST", body, _credentials, _region, SigningService, _time.GetUtcNow().UtcDateTime);

        using var message = new HttpRequestMessage(HttpMethod.Post, _endpoint);
        message.Content = new ByteArrayContent(body);
        message.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(ContentType);
        foreach (var (name, value) in headers)
        {
            if (name is not ("Host" or "Content-Type"))
            {
                message.Headers.TryAddWithoutValidation(name, value);
            }
        }
        message.Headers.TryAddWithoutValidation("amz-sdk-invocation-id", invocationId);
        message.Headers.TryAddWithoutValidation("amz-sdk-request", string.Create(CultureInfo.InvariantCulture, $"attempt={attempt}; max={AwsRetryPolicy.MaxAttempts}"));
        message.Headers.TryAddWithoutValidation("User-Agent", _userAgent);

        using var response = await _http.SendAsync(message, HttpCompletionOption.ResponseContentRead, cancellationToken).ConfigureAwait(false);
        var content = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            throw Error(response, content);
        }
        try
        {
            return JsonSerializer.Deserialize(content, responseType)
                ?? throw new AmazonServiceException($"{operation}: the response body is empty", null, ErrorType.Receiver, "InvalidResponse", RequestId(response), response.StatusCode);
        }
        catch (JsonException e)
        {
            // The body may hold the secret: say where it broke, not what it held.
            throw new AmazonServiceException($"{operation}: the response is not the expected JSON (line {e.LineNumber}, byte {e.BytePositionInLine})", null, ErrorType.Receiver, "InvalidResponse", RequestId(response), response.StatusCode);
        }
    }

    /// <summary>The service's error code (without namespace or suffix), message and request id.</summary>
    internal static AmazonServiceException Error(HttpResponseMessage response, byte[] content)
    {
        string? code = null;
        string? text = null;
        try
        {
            var body = content.Length == 0 ? null : JsonSerializer.Deserialize(content, SecretsManagerJsonContext.Default.AwsErrorBody);
            code = body?.Type ?? body?.Code;
            text = body?.UpperMessage ?? body?.LowerMessage;
        }
        catch (JsonException)
        {
        }
        if (code is null && response.Headers.TryGetValues("x-amzn-ErrorType", out var types))
        {
            code = types.FirstOrDefault();
        }
        code = ShortCode(code) ?? $"Http{(int)response.StatusCode}";
        var status = response.StatusCode;
        var type = (int)status >= 500 ? ErrorType.Receiver : ErrorType.Sender;
        return new AmazonServiceException(text ?? response.ReasonPhrase ?? code, null, type, code, RequestId(response), status);
    }

    internal static string? ShortCode(string? code)
    {
        if (string.IsNullOrWhiteSpace(code))
        {
            return null;
        }
        var hash = code.LastIndexOf('#');
        if (hash >= 0)
        {
            code = code[(hash + 1)..];
        }
        var colon = code.IndexOf(':', StringComparison.Ordinal);
        return colon >= 0 ? code[..colon] : code;
    }

    private static string? RequestId(HttpResponseMessage response) =>
        response.Headers.TryGetValues("x-amzn-RequestId", out var ids) ? ids.FirstOrDefault() : null;
}
