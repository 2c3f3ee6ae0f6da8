using System.Text.Json;
using Azure;
using Azure.Core;
using Azure.Core.Pipeline;

namespace Csi.Providers.Azure;

/// <summary>
/// Reads key bundles (public JWK) and key versions over Azure.Core's pipeline; there is no Keys SDK package here.
/// Authorizes with the cloud's Key Vault scope up front instead of waiting for the bearer challenge.
/// </summary>
internal sealed class KeyVaultKeysClient
{
    public const string ApiVersion = "7.4";

    private readonly Uri _vaultUri;
    private readonly HttpPipeline _pipeline;

    public KeyVaultKeysClient(Uri vaultUri, TokenCredential credential, string scope, ClientOptions options)
    {
        _vaultUri = vaultUri;
        _pipeline = HttpPipelineBuilder.Build(options, new BearerTokenAuthenticationPolicy(credential, scope));
    }

    /// <summary>The key bundle's <c>key</c> object (kid, kty, n/e or crv/x/y).</summary>
    public async Task<JsonElement> GetKeyAsync(string name, string? version, CancellationToken cancellationToken)
    {
        var path = version is null ? $"keys/{Uri.EscapeDataString(name)}" : $"keys/{Uri.EscapeDataString(name)}/{Uri.EscapeDataString(version)}";
        using var document = await SendAsync(new Uri(_vaultUri, $"{path}?api-version={ApiVersion}"), cancellationToken).ConfigureAwait(false);
        return document.RootElement.TryGetProperty("key", out var key)
            ? key.Clone()
            : throw new RequestFailedException("the key bundle has no key");
    }

    /// <summary>Every version of a key: (version, enabled, created).</summary>
    public async Task<List<KeyVaultObjectVersion>> GetVersionsAsync(string name, CancellationToken cancellationToken)
    {
        var versions = new List<KeyVaultObjectVersion>();
        Uri? next = new(_vaultUri, $"keys/{Uri.EscapeDataString(name)}/versions?api-version={ApiVersion}");
        while (next is not null)
        {
            using var document = await SendAsync(next, cancellationToken).ConfigureAwait(false);
            foreach (var item in document.RootElement.GetProperty("value").EnumerateArray())
            {
                var kid = item.GetProperty("kid").GetString() ?? string.Empty;
                var attributes = item.GetProperty("attributes");
                versions.Add(new KeyVaultObjectVersion(
                    KeyVaultObjectVersion.LastSegment(kid),
                    attributes.TryGetProperty("enabled", out var enabled) && enabled.GetBoolean(),
                    attributes.TryGetProperty("created", out var created) ? DateTimeOffset.FromUnixTimeSeconds(created.GetInt64()) : DateTimeOffset.MinValue));
            }

            next = document.RootElement.TryGetProperty("nextLink", out var link) && link.ValueKind == JsonValueKind.String && link.GetString() is { Length: > 0 } text
                ? new Uri(text)
                : null;
        }

        return versions;
    }

    private async Task<JsonDocument> SendAsync(Uri uri, CancellationToken cancellationToken)
    {
        using var message = _pipeline.CreateMessage();
        message.Request.Method = RequestMethod.Get;
        message.Request.Uri.Reset(uri);
        message.Request.Headers.Add("Accept", "application/json");
        await _pipeline.SendAsync(message, cancellationToken).ConfigureAwait(false);
        var response = message.Response;
        if (response.IsError)
        {
            throw new RequestFailedException(response);
        }

        return await JsonDocument.ParseAsync(response.ContentStream ?? Stream.Null, cancellationToken: cancellationToken).ConfigureAwait(false);
    }
}
