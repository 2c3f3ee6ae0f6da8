using System.Net;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.Extensions.Logging;

namespace Csi.Providers.Vault;

/// <summary>
/// Vault's HTTP API as the provider uses it: kubernetes/jwt login and secret requests with any method. Sends
/// X-Vault-Request, X-Vault-Namespace and X-Vault-Token; retries 412, 429, 5xx (but 501), timeouts and
/// connection errors with linear jitter, as Vault's Go client does. Failures are <see cref="VaultRequestException"/>s
/// whose text holds no token and no body but Vault's error strings.
/// </summary>
internal sealed class VaultClient
{
    private const int MaxErrorLength = 300;

    private readonly HttpClient _http;
    private readonly VaultConnection _connection;
    private readonly VaultClientSettings _settings;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;

    public VaultClient(HttpClient http, VaultConnection connection, VaultClientSettings settings, TimeProvider time, ILogger logger)
    {
        _http = http;
        _connection = connection;
        _settings = settings;
        _time = time;
        _logger = logger;
    }

    public VaultConnection Connection => _connection;

    /// <summary>POST /v1/auth/&lt;mount&gt;/login {jwt, role}: the same request for the kubernetes and the jwt method.</summary>
    public async Task<VaultLoginAuth> LoginAsync(string mount, string role, string jwt, CancellationToken cancellationToken)
    {
        var body = JsonSerializer.SerializeToUtf8Bytes(new VaultLoginRequest { Jwt = jwt, Role = role }, VaultJsonContext.Default.VaultLoginRequest);
        var path = "/v1/auth/" + VaultRequest.EscapePath(mount) + "/login";
        var (_, content) = await SendAsync("POST", path, body, token: null, [jwt], cancellationToken).ConfigureAwait(false);
        VaultLoginAuth? auth = null;
        try
        {
            auth = content.Length == 0 ? null : JsonSerializer.Deserialize(content, VaultJsonContext.Default.VaultLoginResponse)?.Auth;
        }
        catch (JsonException e)
        {
            throw BadResponse("the login answer is not Vault's JSON", e);
        }
        if (string.IsNullOrEmpty(auth?.ClientToken))
        {
            throw BadResponse("the login answer has no auth.client_token", null);
        }
        return auth;
    }

    /// <summary>Sends a secret request; null when Vault answered without a body (e.g. 204).</summary>
    public async Task<VaultSecretResponse?> ReadAsync(VaultRequest request, string token, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var (status, content) = await SendAsync(request.Method, request.PathAndQuery, request.Body, token, [token], cancellationToken).ConfigureAwait(false);
        if (status == (int)HttpStatusCode.NoContent || content.Length == 0)
        {
            return null;
        }
        try
        {
            return JsonSerializer.Deserialize(content, VaultJsonContext.Default.VaultSecretResponse);
        }
        catch (JsonException e)
        {
            throw BadResponse($"the answer to {request.Method} {request.DisplayPath} is not Vault's JSON", e);
        }
    }

    private async Task<(int Status, byte[] Content)> SendAsync(string method, string pathAndQuery, byte[]? body, string? token, string[] redact, CancellationToken cancellationToken)
    {
        var uri = new Uri(_connection.Address.GetLeftPart(UriPartial.Authority) + _connection.Address.AbsolutePath.TrimEnd('/') + pathAndQuery);
        for (var attempt = 0; ; attempt++)
        {
            VaultRequestException failure;
            var retryable = true;
            try
            {
                using var request = CreateMessage(method, uri, body, token);
                using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                timeout.CancelAfter(_settings.Timeout);
                using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseContentRead, timeout.Token).ConfigureAwait(false);
                var content = await response.Content.ReadAsByteArrayAsync(timeout.Token).ConfigureAwait(false);
                var status = (int)response.StatusCode;
                if (status < 400)
                {
                    return (status, content);
                }
                failure = new VaultRequestException(VaultFailure.Status, status, ReadErrors(content, redact), $"HTTP {status}");
                retryable = status is 412 or 429 or (>= 500 and not 501);
            }
            catch (OperationCanceledException e) when (!cancellationToken.IsCancellationRequested)
            {
                failure = new VaultRequestException(VaultFailure.Timeout, 0, [], $"no answer within {_settings.Timeout.TotalSeconds:0.#} s", e);
            }
            catch (HttpRequestException e) when (FindInner<AuthenticationException>(e) is { } tls)
            {
                failure = new VaultRequestException(VaultFailure.Tls, 0, [], "TLS handshake failed: " + VaultErrors.Clean(tls.Message, redact), e);
                retryable = false;
            }
            catch (HttpRequestException e)
            {
                var reason = FindInner<SocketException>(e)?.Message ?? e.Message;
                failure = new VaultRequestException(VaultFailure.Connection, 0, [], VaultErrors.Clean(reason, redact), e);
            }
            catch (IOException e)
            {
                failure = new VaultRequestException(VaultFailure.Connection, 0, [], VaultErrors.Clean(e.Message, redact), e);
            }

            if (!retryable || attempt >= _settings.MaxRetries)
            {
                throw failure;
            }
            var wait = Backoff(attempt + 1);
            VaultProviderLog.Retrying(_logger, method, pathAndQuery.Split('?')[0], attempt + 1, _settings.MaxRetries, failure.Reason, (long)wait.TotalMilliseconds);
            await Task.Delay(wait, _time, cancellationToken).ConfigureAwait(false);
        }
    }

    private HttpRequestMessage CreateMessage(string method, Uri uri, byte[]? body, string? token)
    {
        var message = new HttpRequestMessage(new HttpMethod(method), uri);
        message.Headers.TryAddWithoutValidation("X-Vault-Request", "true");
        if (_connection.Namespace.Length > 0)
        {
            message.Headers.TryAddWithoutValidation("X-Vault-Namespace", _connection.Namespace);
        }
        if (token is not null)
        {
            message.Headers.TryAddWithoutValidation("X-Vault-Token", token);
        }
        if (_connection.Tls.ServerName is { } serverName && uri.Scheme == Uri.UriSchemeHttps)
        {
            // SocketsHttpHandler takes SNI and the name it checks the certificate against from the Host header.
            message.Headers.Host = uri.IsDefaultPort ? serverName.Value : serverName.Value + ":" + uri.Port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }
        if (body is not null)
        {
            message.Content = new ByteArrayContent(body);
            message.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
        }
        return message;
    }

    // Go's LinearJitterBackoff: retry n waits between n*min and n*max.
    private TimeSpan Backoff(int retry)
    {
        var min = _settings.RetryWaitMin * retry;
        var spread = (_settings.RetryWaitMax - _settings.RetryWaitMin) * retry;
        var jitter = spread <= TimeSpan.Zero ? 0 : RandomNumberGenerator.GetInt32(1001) / 1000.0;
        return min + (spread * jitter);
    }

    private static List<string> ReadErrors(byte[] content, string[] redact)
    {
        try
        {
            var errors = content.Length == 0 ? null : JsonSerializer.Deserialize(content, VaultJsonContext.Default.VaultErrorResponse)?.Errors;
            return errors is null ? [] : errors.Select(e => VaultErrors.Clean(e, redact)).Where(e => e.Length > 0).Select(e => e.Length > MaxErrorLength ? e[..MaxErrorLength] + "..." : e).ToList();
        }
        catch (JsonException)
        {
            // Not Vault (a proxy's HTML page, say): only the status is reported.
            return [];
        }
    }

    private VaultRequestException BadResponse(string what, Exception? inner) =>
        new(VaultFailure.BadResponse, 0, [], $"{what} (is {_connection.Display} a Vault server?)", inner);

    private static T? FindInner<T>(Exception e)
        where T : Exception
    {
        for (Exception? current = e; current is not null; current = current.InnerException)
        {
            if (current is T match)
            {
                return match;
            }
        }
        return null;
    }
}
