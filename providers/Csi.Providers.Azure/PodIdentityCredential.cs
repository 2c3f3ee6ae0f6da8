using System.Globalization;
using System.Text.Json;
using Azure.Core;
using Azure.Core.Pipeline;
using Azure.Identity;

namespace Csi.Providers.Azure;

/// <summary>
/// aad-pod-identity (deprecated upstream too): asks the node's NMI at <c>http://localhost:2579/host/token/</c> for a
/// token for the Key Vault resource on behalf of the pod named in the <c>podns</c>/<c>podname</c> headers.
/// </summary>
internal sealed class PodIdentityCredential : TokenCredential
{
    public const int NmiPort = 2579;

    private readonly HttpPipeline _pipeline;
    private readonly string _podNamespace;
    private readonly string _podName;
    private readonly string _resource;

    public PodIdentityCredential(string podNamespace, string podName, string resource, HttpPipelineTransport? transport)
    {
        var options = new AzureHttpOptions();
        if (transport is not null)
        {
            options.Transport = transport;
        }

        _pipeline = HttpPipelineBuilder.Build(options);
        _podNamespace = podNamespace;
        _podName = podName;
        _resource = resource;
    }

    public override AccessToken GetToken(TokenRequestContext requestContext, CancellationToken cancellationToken) =>
        GetTokenAsync(requestContext, cancellationToken).AsTask().GetAwaiter().GetResult();

    public override async ValueTask<AccessToken> GetTokenAsync(TokenRequestContext requestContext, CancellationToken cancellationToken)
    {
        using var message = _pipeline.CreateMessage();
        message.Request.Method = RequestMethod.Get;
        message.Request.Uri.Reset(new Uri($"http://localhost:{NmiPort}/host/token/?resource={_resource}"));
        message.Request.Headers.Add("podns", _podNamespace);
        message.Request.Headers.Add("podname", _podName);
        await _pipeline.SendAsync(message, cancellationToken).ConfigureAwait(false);
        var response = message.Response;
        if (response.Status != 200)
        {
            throw new AuthenticationFailedException($"nmi response failed with status code: {response.Status}, response body: {FirstLine(response.Content.ToString())}");
        }

        using var document = JsonDocument.Parse(response.Content.ToMemory());
        var root = document.RootElement;
        var token = root.TryGetProperty("token", out var t) && t.ValueKind == JsonValueKind.Object ? t : default;
        var accessToken = token.ValueKind == JsonValueKind.Object && token.TryGetProperty("access_token", out var a) ? a.GetString() : null;
        var clientId = root.TryGetProperty("clientid", out var c) ? c.GetString() : null;
        if (string.IsNullOrEmpty(accessToken) || string.IsNullOrEmpty(clientId))
        {
            throw new AuthenticationFailedException("nmi did not return expected values in response: token and clientid");
        }

        var expiresOn = token.TryGetProperty("expires_on", out var e) && double.TryParse(e.ToString(), NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds)
            ? DateTimeOffset.FromUnixTimeMilliseconds((long)(seconds * 1000))
            : DateTimeOffset.UtcNow.AddHours(-1);
        return new AccessToken(accessToken, expiresOn);
    }

    private static string FirstLine(string text)
    {
        var newline = text.IndexOf('\n', StringComparison.Ordinal);
        return newline < 0 ? text : text[..newline];
    }
}
