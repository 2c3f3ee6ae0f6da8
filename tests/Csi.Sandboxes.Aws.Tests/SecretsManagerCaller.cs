using System.Text;
using System.Text.Json.Nodes;
using Amazon.Runtime;
using Amazon.Runtime.Internal;
using Amazon.Runtime.Internal.Auth;
using Amazon.SimpleSystemsManagement;

namespace Csi.Sandboxes.Aws.Tests;

/// <summary>The answer to one Secrets Manager call: status, parsed JSON body, error type and the request id header.</summary>
internal sealed record SecretsManagerAnswer(int Status, JsonObject Body, string? RequestId)
{
    public string? ErrorType => Body["__type"]?.GetValue<string>();

    public string? Message => Body["Message"]?.GetValue<string>();
}

/// <summary>
/// A hand-written Secrets Manager JSON 1.1 client signed by AWSSDK.Core's own <see cref="AWS4Signer"/>: what a provider
/// without the AWSSDK.SecretsManager package would do.
/// </summary>
internal sealed class SecretsManagerCaller(Uri endpoint, ImmutableCredentials credentials, string region) : IDisposable
{
    private readonly HttpClient _http = new();

    public async Task<SecretsManagerAnswer> CallAsync(string operation, JsonObject input)
    {
        var body = Encoding.UTF8.GetBytes(input.ToJsonString());
        var request = new DefaultRequest(new RawRequest(), "SecretsManager")
        {
            HttpMethod = "POST",
            Endpoint = endpoint,
            ResourcePath = "/",
            Content = body,
            AuthenticationRegion = region,
            OverrideSigningServiceName = "secretsmanager",
        };
        request.Headers["Content-Type"] = "application/x-amz-json-1.1";
        request.Headers["X-Amz-Target"] = "secretsmanager." + operation;

        // AWS4Signer signs what is in the request; the SDK pipeline adds the session token before signing, so do we.
        request.Headers["X-Amz-Security-Token"] = credentials.Token;

        // Any IClientConfig serves: the request's AuthenticationRegion and OverrideSigningServiceName win.
        var config = new AmazonSimpleSystemsManagementConfig { ServiceURL = endpoint.ToString() };
        new AWS4Signer().Sign(request, config, null, new SessionAWSCredentials(credentials.AccessKey, credentials.SecretKey, credentials.Token));

        using var message = new HttpRequestMessage(HttpMethod.Post, endpoint) { Content = new ByteArrayContent(body) };
        foreach (var (name, value) in request.Headers)
        {
            if (name.Equals("Content-Type", StringComparison.OrdinalIgnoreCase))
            {
                message.Content.Headers.TryAddWithoutValidation(name, value);
            }
            else if (!name.Equals("Host", StringComparison.OrdinalIgnoreCase) && !name.Equals("Content-Length", StringComparison.OrdinalIgnoreCase))
            {
                message.Headers.TryAddWithoutValidation(name, value);
            }
        }

        using var response = await _http.SendAsync(message);
        var text = await response.Content.ReadAsStringAsync();
        var json = text.Length == 0 ? new JsonObject() : (JsonNode.Parse(text) as JsonObject ?? new JsonObject());
        return new SecretsManagerAnswer((int)response.StatusCode, json, response.Headers.TryGetValues("x-amzn-RequestId", out var ids) ? ids.First() : null);
    }

    public Task<SecretsManagerAnswer> GetSecretValueAsync(string secretId, string? versionId = null, string? versionStage = null)
    {
        var input = new JsonObject { ["SecretId"] = secretId };
        if (versionId is not null)
        {
            input["VersionId"] = versionId;
        }

        if (versionStage is not null)
        {
            input["VersionStage"] = versionStage;
        }

        return CallAsync("GetSecretValue", input);
    }

    public Task<SecretsManagerAnswer> DescribeSecretAsync(string secretId) =>
        CallAsync("DescribeSecret", new JsonObject { ["SecretId"] = secretId });

    public void Dispose() => _http.Dispose();

    private sealed class RawRequest : AmazonWebServiceRequest;
}
