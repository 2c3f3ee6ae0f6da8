using System.Net;
using System.Net.Http.Headers;
using System.Net.Security;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Csi.Common.RateLimiting;
using Csi.Kubernetes.Models;

namespace Csi.Kubernetes;

/// <summary>
/// The suite's one Kubernetes client: a small typed REST client (get, list, watch, create, update, merge patch,
/// delete) with JSON from source-generated contexts so that it stays AOT-safe and small. Every request waits
/// for the client-side rate limit; a 401 with a token file re-reads the file once and retries. Cluster-scoped
/// resources take a null namespace.
/// </summary>
public sealed class KubernetesApiClient : IDisposable
{
    private static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(30);
    private static readonly MediaTypeHeaderValue Json = new("application/json");
    private static readonly MediaTypeHeaderValue MergePatch = new("application/merge-patch+json");

    private readonly KubernetesConnection _connection;
    private readonly TokenBucket _limiter;
    private readonly HttpClient _http;
    private readonly string _forbiddenHint;

    /// <param name="connection">where the API server is and how to authenticate.</param>
    /// <param name="limiter">the client-side rate limit (upstream's --kube-api-qps and --kube-api-burst).</param>
    /// <param name="userAgent">product and version, as "name/1.2.3".</param>
    /// <param name="forbiddenHint">appended to a 403's message: where the binary's RBAC is granted.</param>
    public KubernetesApiClient(KubernetesConnection connection, TokenBucket limiter, string userAgent, string? forbiddenHint = null)
    {
        _connection = connection;
        _limiter = limiter;
        _forbiddenHint = forbiddenHint is { Length: > 0 } ? $" ({forbiddenHint})" : string.Empty;
        var handler = new SocketsHttpHandler
        {
            PooledConnectionIdleTimeout = TimeSpan.FromSeconds(90),
            ConnectTimeout = TimeSpan.FromSeconds(10),
            EnableMultipleHttp2Connections = true,
        };
        handler.SslOptions.RemoteCertificateValidationCallback = ValidateServerCertificate;
        if (connection.ClientCertificate is { } clientCertificate)
        {
            handler.SslOptions.ClientCertificates = [clientCertificate];
        }
        _http = new HttpClient(handler) { BaseAddress = connection.Server, Timeout = Timeout.InfiniteTimeSpan };
        _http.DefaultRequestHeaders.UserAgent.ParseAdd($"{userAgent} ({(OperatingSystem.IsWindows() ? "windows" : "linux")}/{RuntimeInformation.OSArchitecture.ToString().ToLowerInvariant()})");
        _http.DefaultRequestHeaders.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
    }

    public Uri Server => _connection.Server;

    /// <summary>The object, or null when it does not exist. A path the server does not serve throws (404 without an object name).</summary>
    public async Task<T?> GetAsync<T>(ApiResource resource, string? @namespace, string name, JsonTypeInfo<T> type, CancellationToken cancellationToken)
        where T : class
    {
        try
        {
            return await SendAsync(HttpMethod.Get, resource.ObjectPath(@namespace, name), null, null, type, "get", Describe(resource, @namespace, name), cancellationToken).ConfigureAwait(false);
        }
        catch (KubernetesApiException e) when (e.IsNotFound && e.NamesAnObject)
        {
            return null;
        }
    }

    /// <summary>Every matching object (following continue tokens), with the list's resourceVersion for a watch.</summary>
    public async Task<ResourceList<T>> ListAsync<T>(ApiResource resource, string? @namespace, string? labelSelector, string? fieldSelector, JsonTypeInfo<ResourceList<T>> type, CancellationToken cancellationToken)
    {
        var all = new ResourceList<T>();
        string? next = null;
        do
        {
            var query = Query(("labelSelector", labelSelector), ("fieldSelector", fieldSelector), ("limit", "500"), ("continue", next));
            var page = await SendAsync(HttpMethod.Get, resource.CollectionPath(@namespace) + query, null, null, type, "list", Describe(resource, @namespace, null), cancellationToken).ConfigureAwait(false);
            all.Items.AddRange(page.Items);
            all.Metadata = page.Metadata;
            next = page.Metadata?.Continue;
        }
        while (!string.IsNullOrEmpty(next));
        return all;
    }

    public Task<T> CreateAsync<T>(ApiResource resource, string? @namespace, T body, JsonTypeInfo<T> type, CancellationToken cancellationToken)
        => SendAsync(HttpMethod.Post, resource.CollectionPath(@namespace), JsonSerializer.SerializeToUtf8Bytes(body, type), Json, type, "create", Describe(resource, @namespace, null), cancellationToken);

    /// <summary>
    /// A create through a subresource of one object (a TokenRequest to a service account's <c>token</c>, say): a POST to
    /// <c>.../{name}/{subresource}</c>, answered with the body's kind.
    /// </summary>
    public Task<T> CreateSubresourceAsync<T>(ApiResource resource, string? @namespace, string name, string subresource, T body, JsonTypeInfo<T> type, CancellationToken cancellationToken)
        => SendAsync(HttpMethod.Post, resource.SubresourcePath(@namespace, name, subresource), JsonSerializer.SerializeToUtf8Bytes(body, type), Json, type, "create",
            Describe(resource, @namespace, name) + " " + subresource, cancellationToken);

    /// <summary>A full update (PUT); the body's metadata.resourceVersion makes it fail with 409 Conflict when stale.</summary>
    public Task<T> UpdateAsync<T>(ApiResource resource, string? @namespace, string name, T body, JsonTypeInfo<T> type, CancellationToken cancellationToken)
        => SendAsync(HttpMethod.Put, resource.ObjectPath(@namespace, name), JsonSerializer.SerializeToUtf8Bytes(body, type), Json, type, "update", Describe(resource, @namespace, name), cancellationToken);

    /// <summary>An RFC 7386 merge patch.</summary>
    public Task<T> PatchAsync<T>(ApiResource resource, string? @namespace, string name, byte[] mergePatch, JsonTypeInfo<T> type, CancellationToken cancellationToken)
        => SendAsync(HttpMethod.Patch, resource.ObjectPath(@namespace, name), mergePatch, MergePatch, type, "patch", Describe(resource, @namespace, name), cancellationToken);

    /// <summary>Deletes the object; false when it was already gone.</summary>
    public async Task<bool> DeleteAsync(ApiResource resource, string? @namespace, string name, CancellationToken cancellationToken)
    {
        try
        {
            await SendAsync<object?>(HttpMethod.Delete, resource.ObjectPath(@namespace, name), null, null, null, "delete", Describe(resource, @namespace, name), cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (KubernetesApiException e) when (e.IsNotFound && e.NamesAnObject)
        {
            return false;
        }
    }

    /// <summary>
    /// Watches from <paramref name="resourceVersion"/> (bookmarks on). The sequence ends when the server closes the
    /// stream; an ERROR event throws, with <see cref="KubernetesApiException.IsGone"/> when the caller must relist.
    /// </summary>
    public async IAsyncEnumerable<WatchEvent<T>> WatchAsync<T>(
        ApiResource resource,
        string? @namespace,
        string? resourceVersion,
        string? labelSelector,
        string? fieldSelector,
        TimeSpan timeout,
        JsonTypeInfo<T> type,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var what = Describe(resource, @namespace, null);
        var query = Query(
            ("watch", "true"),
            ("allowWatchBookmarks", "true"),
            ("resourceVersion", resourceVersion),
            ("labelSelector", labelSelector),
            ("fieldSelector", fieldSelector),
            ("timeoutSeconds", ((long)timeout.TotalSeconds).ToString(System.Globalization.CultureInfo.InvariantCulture)));
        using var response = await OpenAsync(HttpMethod.Get, resource.CollectionPath(@namespace) + query, null, null, "watch", what, streaming: true, cancellationToken).ConfigureAwait(false);
        await using var body = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        using var reader = new StreamReader(body, Encoding.UTF8);
        while (await reader.ReadLineAsync(cancellationToken).ConfigureAwait(false) is { } line)
        {
            if (line.Length == 0)
            {
                continue;
            }
            using var document = JsonDocument.Parse(line);
            var eventType = document.RootElement.TryGetProperty("type", out var t) ? t.GetString() ?? string.Empty : string.Empty;
            if (!document.RootElement.TryGetProperty("object", out var payload))
            {
                continue;
            }
            if (eventType == "ERROR")
            {
                var status = payload.Deserialize(KubernetesJsonContext.Default.ApiStatus);
                throw FromStatus(status?.Code ?? 500, status, "watch", what, null);
            }
            if (payload.Deserialize(type) is { } item)
            {
                yield return new WatchEvent<T>(eventType, item);
            }
        }
    }

    public void Dispose() => _http.Dispose();

    private async Task<T> SendAsync<T>(HttpMethod method, string path, byte[]? body, MediaTypeHeaderValue? contentType, JsonTypeInfo<T>? type, string verb, string what, CancellationToken cancellationToken)
    {
        using var response = await OpenAsync(method, path, body, contentType, verb, what, streaming: false, cancellationToken).ConfigureAwait(false);
        if (type is null)
        {
            return default!;
        }
        try
        {
            var content = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
            return JsonSerializer.Deserialize(content, type) ?? throw new KubernetesApiException((int)response.StatusCode, "InvalidResponse", $"{verb} {what}: the API server answered with an empty body");
        }
        catch (JsonException e)
        {
            throw new KubernetesApiException((int)response.StatusCode, "InvalidResponse", $"{verb} {what}: the API server's answer is not the expected JSON: {e.Message}", e);
        }
    }

    private async Task<HttpResponseMessage> OpenAsync(HttpMethod method, string path, byte[]? body, MediaTypeHeaderValue? contentType, string verb, string what, bool streaming, CancellationToken cancellationToken)
    {
        for (var attempt = 0; ; attempt++)
        {
            await _limiter.WaitAsync(cancellationToken).ConfigureAwait(false);
            using var request = new HttpRequestMessage(method, path);
            if (body is not null)
            {
                request.Content = new ByteArrayContent(body);
                request.Content.Headers.ContentType = contentType;
            }
            if (_connection.Token is { } token)
            {
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token.Get());
            }

            using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            if (!streaming)
            {
                deadline.CancelAfter(RequestTimeout);
            }
            HttpResponseMessage response;
            try
            {
                response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, deadline.Token).ConfigureAwait(false);
                if (!streaming)
                {
                    await response.Content.LoadIntoBufferAsync(deadline.Token).ConfigureAwait(false);
                }
            }
            catch (HttpRequestException e)
            {
                throw new KubernetesApiException(0, "Unreachable", $"{verb} {what}: cannot reach the API server at {_connection.Server}: {e.Message}", e);
            }
            catch (OperationCanceledException e) when (!cancellationToken.IsCancellationRequested)
            {
                throw new KubernetesApiException(0, "Timeout", $"{verb} {what}: the API server at {_connection.Server} did not answer within {RequestTimeout.TotalSeconds:0}s", e);
            }

            if (response.IsSuccessStatusCode)
            {
                return response;
            }
            using (response)
            {
                if (response.StatusCode == HttpStatusCode.Unauthorized && attempt == 0 && _connection.Token?.Invalidate() == true)
                {
                    continue; // the token file may have been rotated since it was read
                }
                throw await ErrorAsync(response, verb, what, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private async Task<KubernetesApiException> ErrorAsync(HttpResponseMessage response, string verb, string what, CancellationToken cancellationToken)
    {
        var code = (int)response.StatusCode;
        ApiStatus? status = null;
        try
        {
            var content = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
            if (content.Length > 0 && content[0] == (byte)'{')
            {
                status = JsonSerializer.Deserialize(content, KubernetesJsonContext.Default.ApiStatus);
            }
        }
        catch (Exception e) when (e is JsonException or IOException or HttpRequestException)
        {
            // The status line alone still says enough.
        }
        int? retryAfter = response.Headers.RetryAfter?.Delta is { } delta ? (int)delta.TotalSeconds : null;
        return FromStatus(code, status, verb, what, retryAfter);
    }

    private KubernetesApiException FromStatus(int code, ApiStatus? status, string verb, string what, int? retryAfter)
    {
        var reason = status?.Reason is { Length: > 0 } r ? r : ((HttpStatusCode)code).ToString();
        var message = status?.Message is { Length: > 0 } m ? m : "no details";
        var hint = code == (int)HttpStatusCode.Forbidden ? _forbiddenHint : string.Empty;
        return new KubernetesApiException(code, reason, $"{verb} {what}: {code} {reason}: {message}{hint}")
        {
            RetryAfterSeconds = status?.Details?.RetryAfterSeconds ?? retryAfter,
            NamesAnObject = !string.IsNullOrEmpty(status?.Details?.Name),
        };
    }

    private bool ValidateServerCertificate(object sender, X509Certificate? certificate, X509Chain? chain, SslPolicyErrors errors)
    {
        if (_connection.InsecureSkipTlsVerify || errors == SslPolicyErrors.None)
        {
            return true;
        }
        if (certificate is null || _connection.CertificateAuthorities.Count == 0 || (errors & ~SslPolicyErrors.RemoteCertificateChainErrors) != 0)
        {
            return false;
        }
        using var custom = new X509Chain();
        custom.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        custom.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        custom.ChainPolicy.CustomTrustStore.AddRange(_connection.CertificateAuthorities);
        if (chain is not null)
        {
            foreach (var element in chain.ChainElements)
            {
                custom.ChainPolicy.ExtraStore.Add(element.Certificate);
            }
        }
        var leaf = certificate as X509Certificate2 ?? X509CertificateLoader.LoadCertificate(certificate.GetRawCertData());
        return custom.Build(leaf);
    }

    private static string Describe(ApiResource resource, string? @namespace, string? name)
        => name is null
            ? (@namespace is null ? resource.ToString() : $"{resource} in namespace {@namespace}")
            : (@namespace is null ? $"{resource} {name}" : $"{resource} {@namespace}/{name}");

    private static string Query(params (string Key, string? Value)[] parameters)
    {
        var builder = new StringBuilder();
        foreach (var (key, value) in parameters)
        {
            if (string.IsNullOrEmpty(value))
            {
                continue;
            }
            builder.Append(builder.Length == 0 ? '?' : '&').Append(key).Append('=').Append(Uri.EscapeDataString(value));
        }
        return builder.ToString();
    }
}
