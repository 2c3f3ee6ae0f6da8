using System.Collections.Concurrent;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using Amazon.Runtime;
using Csi.Providers.Aws.SecretsManager;

namespace Csi.Providers.Aws.Tests.Unit;

public sealed class SecretsManagerClientTests
{
    private const string AccessKey = "ASIAEXAMPLEKEY";
    private const string SecretKey = "secret-access-key-example";
    private const string SessionToken = "session-token-example";

    /// <summary>A tiny in-test Secrets Manager: answers from a queue and records every request.</summary>
    private sealed class Stub : HttpMessageHandler
    {
        public ConcurrentQueue<Func<HttpResponseMessage>> Answers { get; } = new();

        public List<(HttpRequestMessage Request, string Body)> Received { get; } = [];

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var body = request.Content is null ? string.Empty : await request.Content.ReadAsStringAsync(cancellationToken);
            lock (Received)
            {
                Received.Add((request, body));
            }
            return Answers.TryDequeue(out var answer) ? answer() : Json(HttpStatusCode.InternalServerError, "{}");
        }
    }

    private static HttpResponseMessage Json(HttpStatusCode status, string body, string? requestId = "req-1")
    {
        var response = new HttpResponseMessage(status) { Content = new StringContent(body, Encoding.UTF8, "application/x-amz-json-1.1") };
        if (requestId is not null)
        {
            response.Headers.TryAddWithoutValidation("x-amzn-RequestId", requestId);
        }
        return response;
    }

    private static (SecretsManagerClient Client, Stub Stub) Create(string endpoint = "http://127.0.0.1:4566/", string region = "eu-central-1")
    {
        var stub = new Stub();
        var client = new SecretsManagerClient(new HttpClient(stub), new Uri(endpoint), region, new ImmutableCredentials(AccessKey, SecretKey, SessionToken), new AwsRetryPolicy(TimeSpan.FromMilliseconds(1)), "test-agent", TimeProvider.System);
        return (client, stub);
    }

    [Fact]
    public async Task GetSecretValue_SpeaksJson11_AndReadsStringOrBinary()
    {
        var (client, stub) = Create();
        stub.Answers.Enqueue(() => Json(HttpStatusCode.OK, """{"ARN":"arn:x","Name":"db","VersionId":"v1","VersionStages":["AWSCURRENT"],"SecretString":"pw","CreatedDate":1.7E9}"""));
        stub.Answers.Enqueue(() => Json(HttpStatusCode.OK, """{"Name":"bin","VersionId":"v2","SecretBinary":"AAEC/w=="}"""));

        var text = await client.GetSecretValueAsync(new GetSecretValueRequest { SecretId = "db", VersionStage = "AWSCURRENT" }, CancellationToken.None);
        var binary = await client.GetSecretValueAsync(new GetSecretValueRequest { SecretId = "bin", VersionId = "v2" }, CancellationToken.None);

        Assert.Equal(("v1", "pw"), (text.VersionId, Encoding.UTF8.GetString(text.Value())));
        Assert.Equal(new byte[] { 0, 1, 2, 255 }, binary.Value());
        var (request, body) = stub.Received[0];
        Assert.Equal(HttpMethod.Post, request.Method);
        Assert.Equal("/", request.RequestUri!.AbsolutePath);
        Assert.Equal("application/x-amz-json-1.1", request.Content!.Headers.ContentType!.MediaType);
        Assert.Equal("secretsmanager.GetSecretValue", request.Headers.GetValues("X-Amz-Target").Single());
        Assert.Equal(SessionToken, request.Headers.GetValues("X-Amz-Security-Token").Single());
        Assert.Equal("attempt=1; max=3", request.Headers.GetValues("amz-sdk-request").Single());
        Assert.Equal("""{"SecretId":"db","VersionStage":"AWSCURRENT"}""", body);
        Assert.Equal("""{"SecretId":"bin","VersionId":"v2"}""", stub.Received[1].Body);
        Assert.DoesNotContain("pw", text.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Signature_IsValidSigV4_ScopedToTheRegionEvenWithAnOverriddenEndpoint()
    {
        var (client, stub) = Create("http://localhost:9999/", "ap-southeast-2");
        stub.Answers.Enqueue(() => Json(HttpStatusCode.OK, """{"Name":"s","VersionIdsToStages":{"v1":["AWSCURRENT"]}}"""));

        var description = await client.DescribeSecretAsync("s", CancellationToken.None);

        Assert.True(description.HasStage("v1", "AWSCURRENT"));
        Assert.False(description.HasStage("v1", "AWSPREVIOUS"));
        var (request, body) = stub.Received[0];
        var authorization = request.Headers.GetValues("Authorization").Single();
        var amzDate = request.Headers.GetValues("X-Amz-Date").Single();
        Assert.StartsWith($"AWS4-HMAC-SHA256 Credential={AccessKey}/{amzDate[..8]}/ap-southeast-2/secretsmanager/aws4_request", authorization, StringComparison.Ordinal);
        var signedHeaders = authorization.Split("SignedHeaders=")[1].Split(',')[0];
        Assert.Equal("content-type;host;x-amz-date;x-amz-security-token;x-amz-target", signedHeaders);
        Assert.Equal(ExpectedSignature(request, body, amzDate, "ap-southeast-2", signedHeaders), authorization.Split("Signature=")[1]);
    }

    [Theory]
    [InlineData("""{"__type":"ResourceNotFoundException","Message":"Secrets Manager can't find the specified secret."}""", "ResourceNotFoundException", "Secrets Manager can't find the specified secret.")]
    [InlineData("""{"__type":"com.amazonaws.secretsmanager#AccessDeniedException","message":"not allowed"}""", "AccessDeniedException", "not allowed")]
    [InlineData("""{"__type":"UnrecognizedClientException:http://internal.amazon.com/coral/","message":"bad token"}""", "UnrecognizedClientException", "bad token")]
    [InlineData("not json", "Http400", "Bad Request")]
    public async Task Errors_CarryTheServiceCodeMessageStatusAndRequestId(string body, string code, string message)
    {
        var (client, stub) = Create();
        stub.Answers.Enqueue(() => Json(HttpStatusCode.BadRequest, body, "rid-42"));

        var e = await Assert.ThrowsAsync<AmazonServiceException>(() => client.GetSecretValueAsync(new GetSecretValueRequest { SecretId = "x" }, CancellationToken.None));

        Assert.Equal((code, message, HttpStatusCode.BadRequest, "rid-42"), (e.ErrorCode, e.Message, e.StatusCode, e.RequestId));
        Assert.Single(stub.Received);
    }

    [Fact]
    public async Task ThrottlingAndServerErrors_AreRetried_UpToThreeAttempts()
    {
        var (client, stub) = Create();
        stub.Answers.Enqueue(() => Json(HttpStatusCode.BadRequest, """{"__type":"ThrottlingException","message":"Rate exceeded"}"""));
        stub.Answers.Enqueue(() => Json(HttpStatusCode.InternalServerError, """{"__type":"InternalServiceError","message":"oops"}"""));
        stub.Answers.Enqueue(() => Json(HttpStatusCode.OK, """{"Name":"s","VersionId":"v1","SecretString":"x"}"""));

        var value = await client.GetSecretValueAsync(new GetSecretValueRequest { SecretId = "s" }, CancellationToken.None);

        Assert.Equal("v1", value.VersionId);
        Assert.Equal(["attempt=1; max=3", "attempt=2; max=3", "attempt=3; max=3"], stub.Received.Select(r => r.Request.Headers.GetValues("amz-sdk-request").Single()));
        Assert.Single(stub.Received.Select(r => r.Request.Headers.GetValues("amz-sdk-invocation-id").Single()).Distinct());

        stub.Received.Clear();
        for (var i = 0; i < 3; i++)
        {
            stub.Answers.Enqueue(() => Json(HttpStatusCode.ServiceUnavailable, """{"__type":"ServiceUnavailable","message":"down"}"""));
        }
        var e = await Assert.ThrowsAsync<AmazonServiceException>(() => client.GetSecretValueAsync(new GetSecretValueRequest { SecretId = "s" }, CancellationToken.None));
        Assert.Equal(("ServiceUnavailable", 3), (e.ErrorCode, stub.Received.Count));
    }

    [Fact]
    public void RetryPolicy_GivesUpOnClientErrors_AndBacksOffWithinTheCap()
    {
        var policy = new AwsRetryPolicy();
        Assert.Null(policy.NextDelay(new AmazonServiceException("m", null, ErrorType.Sender, "ResourceNotFoundException", null, HttpStatusCode.BadRequest), 1));
        Assert.Null(policy.NextDelay(new HttpRequestException("x"), 3));
        var delay = policy.NextDelay(new AmazonServiceException("m", null, ErrorType.Sender, "ThrottlingException", null, HttpStatusCode.BadRequest), 2);
        Assert.NotNull(delay);
        Assert.InRange(delay.Value, TimeSpan.Zero, TimeSpan.FromSeconds(2));
    }

    [Fact]
    public void Endpoints_FollowTheStandardVariables()
    {
        var none = AwsEnvironment.From(new Dictionary<string, string>());
        Assert.Null(none.EndpointFor(AwsEnvironment.SecretsManagerService));
        Assert.Equal(new Uri("https://secretsmanager.us-east-1.amazonaws.com/"), none.DefaultEndpoint("secretsmanager", "us-east-1"));
        Assert.Equal(new Uri("https://secretsmanager.cn-north-1.amazonaws.com.cn/"), none.DefaultEndpoint("secretsmanager", "cn-north-1"));

        var fips = AwsEnvironment.From(new Dictionary<string, string> { ["AWS_USE_FIPS_ENDPOINT"] = "true" });
        Assert.Equal(new Uri("https://secretsmanager-fips.us-gov-west-1.amazonaws.com/"), fips.DefaultEndpoint("secretsmanager", "us-gov-west-1"));

        var both = AwsEnvironment.From(new Dictionary<string, string>
        {
            ["AWS_ENDPOINT_URL"] = "http://general:1/",
            ["AWS_ENDPOINT_URL_SECRETS_MANAGER"] = "http://sm:2/",
        });
        Assert.Equal(new Uri("http://sm:2/"), both.EndpointFor(AwsEnvironment.SecretsManagerService));
        Assert.Equal(new Uri("http://general:1/"), both.EndpointFor(AwsEnvironment.SsmService));
    }

    /// <summary>SigV4 computed here from the request as received, independently of AWSSDK.Core.</summary>
    private static string ExpectedSignature(HttpRequestMessage request, string body, string amzDate, string region, string signedHeaders)
    {
        string Header(string name) => name switch
        {
            "host" => request.RequestUri!.Authority,
            "content-type" => request.Content!.Headers.ContentType!.ToString(),
            _ => request.Headers.GetValues(name).Single(),
        };
        var canonical = string.Join('\n',
            "POST",
            "/",
            string.Empty,
            string.Concat(signedHeaders.Split(';').Select(h => $"{h}:{Header(h).Trim()}\n")),
            signedHeaders,
            Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(body))));
        var scope = $"{amzDate[..8]}/{region}/secretsmanager/aws4_request";
        var toSign = $"AWS4-HMAC-SHA256\n{amzDate}\n{scope}\n{Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(canonical)))}";
        var key = Encoding.UTF8.GetBytes("AWS4" + SecretKey);
        foreach (var part in new[] { amzDate[..8], region, "secretsmanager", "aws4_request" })
        {
            key = HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(part));
        }
        return Convert.ToHexStringLower(HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(toSign)));
    }
}
