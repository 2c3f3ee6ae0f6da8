using System.Text;
using Amazon.Runtime;
using Amazon.Runtime.Internal.Auth;
using Amazon.SimpleSystemsManagement;
using Amazon.SimpleSystemsManagement.Model;
using Csi.Sandboxes.Aws.Internal;
using Microsoft.AspNetCore.Http;

namespace Csi.Sandboxes.Aws.Tests;

public sealed class SigV4Tests : SandboxTestBase
{
    // AWS's published SigV4 test-suite case "get-vanilla".
    private const string VanillaSecret = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
    private const string VanillaSignature = "5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31";
    private const string VanillaCanonical = "GET\n/\n\nhost:example.amazonaws.com\nx-amz-date:20150830T123600Z\n\nhost;x-amz-date\ne3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

    [Fact]
    public void SandboxVerifier_ReproducesAwsTestSuiteVector()
    {
        var headers = new HeaderDictionary { ["host"] = "example.amazonaws.com", ["x-amz-date"] = "20150830T123600Z" };
        var scope = new SigV4Authorization("AKIDEXAMPLE", "20150830", "us-east-1", "service", ["host", "x-amz-date"], VanillaSignature);

        var canonical = SigV4.CanonicalRequest("GET", "/", headers, scope.SignedHeaders, TestSigner.Hex(System.Security.Cryptography.SHA256.HashData([])));
        var signature = SigV4.Sign(VanillaSecret, scope, SigV4.StringToSign("20150830T123600Z", scope.Scope, canonical));

        Assert.Equal(VanillaCanonical, canonical);
        Assert.Equal(VanillaSignature, signature);
    }

    [Fact]
    public void AwsSdkSigner_AgreesWithTheSameVector()
    {
        var result = AWS4Signer.ComputeSignature("AKIDEXAMPLE", VanillaSecret, "us-east-1", new DateTime(2015, 8, 30, 12, 36, 0, DateTimeKind.Utc), "service", "host;x-amz-date", VanillaCanonical);

        Assert.Equal(VanillaSignature, result.Signature);
    }

    [Fact]
    public void SandboxParser_ReadsScopeFromAuthorizationHeader()
    {
        Assert.True(SigV4.TryParseAuthorization("AWS4-HMAC-SHA256 Credential=ASIAX/20260101/eu-west-1/ssm/aws4_request, SignedHeaders=host;x-amz-date, Signature=abc", out var a, out _));
        Assert.Equal(("ASIAX", "20260101", "eu-west-1", "ssm"), (a!.AccessKeyId, a.Date, a.Region, a.Service));
        Assert.False(SigV4.TryParseAuthorization("AWS4-HMAC-SHA256 Credential=ASIAX/20260101/eu-west-1/ssm/aws4_request", out _, out var error));
        Assert.Contains("SignedHeaders", error);
    }

    [Fact]
    public async Task IndependentSigner_IsAccepted_IncludingCanonicalQuery()
    {
        Sandbox.Region(Primary).PutParameter("/p", "v");
        var c = Sandbox.IssueCredentials(ReaderRole);
        const string body = """{"Names":["/p"]}""";
        using var request = RawCalls.JsonRequest(Sandbox.Endpoint, "AmazonSSM.GetParameters", body, "?b=x%20y&a=1&a=0");
        TestSigner.Sign(request, Encoding.UTF8.GetBytes(body), c.AccessKeyId, c.SecretAccessKey, c.SessionToken, Primary, "ssm", Clock.GetUtcNow());

        var (status, json) = await RawCalls.SendJsonAsync(request);

        Assert.Equal(200, status);
        Assert.Equal("v", json["Parameters"]![0]!["Value"]!.GetValue<string>());
    }

    [Fact]
    public async Task WrongSecretKey_IsInvalidSignatureException()
    {
        var c = Credentials();

        var e = await Assert.ThrowsAsync<AmazonSimpleSystemsManagementException>(() =>
            Ssm(new ImmutableCredentials(c.AccessKey, "not-the-secret", c.Token)).GetParametersAsync(new GetParametersRequest { Names = ["/p"] }));

        Assert.Equal("InvalidSignatureException", e.ErrorCode);
        Assert.Equal(System.Net.HttpStatusCode.BadRequest, e.StatusCode);
        Assert.Contains("does not match the signature you provided", e.Message);
    }

    [Fact]
    public async Task UnknownAccessKey_IsUnrecognizedClientException()
    {
        var e = await Assert.ThrowsAsync<AmazonSimpleSystemsManagementException>(() =>
            Ssm(new ImmutableCredentials("ASIAUNKNOWNUNKNOWN00", "secret", "token")).GetParametersAsync(new GetParametersRequest { Names = ["/p"] }));

        Assert.Equal("UnrecognizedClientException", e.ErrorCode);
        Assert.Equal("The security token included in the request is invalid.", e.Message);
    }

    [Fact]
    public async Task SessionCredentialsWithoutOrWithWrongToken_AreUnrecognizedClient()
    {
        var c = Credentials();
        var withoutToken = new AmazonSimpleSystemsManagementClient(new BasicAWSCredentials(c.AccessKey, c.SecretKey),
            new AmazonSimpleSystemsManagementConfig { ServiceURL = Sandbox.Endpoint.ToString(), AuthenticationRegion = Primary, MaxErrorRetry = 0 });

        var missing = await Assert.ThrowsAsync<AmazonSimpleSystemsManagementException>(() => withoutToken.GetParametersAsync(new GetParametersRequest { Names = ["/p"] }));
        var wrong = await Assert.ThrowsAsync<AmazonSimpleSystemsManagementException>(() =>
            Ssm(new ImmutableCredentials(c.AccessKey, c.SecretKey, Credentials().Token)).GetParametersAsync(new GetParametersRequest { Names = ["/p"] }));
        withoutToken.Dispose();

        Assert.Equal("UnrecognizedClientException", missing.ErrorCode);
        Assert.Equal("UnrecognizedClientException", wrong.ErrorCode);
    }

    [Fact]
    public async Task ExpiredCredentials_AreExpiredTokenException()
    {
        var c = Credentials(lifetime: TimeSpan.FromMinutes(1));
        var client = Ssm(c);
        await client.GetParametersAsync(new GetParametersRequest { Names = ["/p"] });

        Clock.Advance(TimeSpan.FromMinutes(2));
        var e = await Assert.ThrowsAsync<AmazonSimpleSystemsManagementException>(() => client.GetParametersAsync(new GetParametersRequest { Names = ["/p"] }));

        Assert.Equal("ExpiredTokenException", e.ErrorCode);
        Assert.Equal(System.Net.HttpStatusCode.BadRequest, e.StatusCode);
    }

    [Theory]
    [InlineData(-6, "Signature expired")]
    [InlineData(6, "Signature not yet current")]
    public async Task RequestDateMoreThanFiveMinutesOff_IsInvalidSignatureException(int minutes, string message)
    {
        var c = Sandbox.IssueCredentials(ReaderRole);
        const string body = """{"Names":["/p"]}""";
        using var request = RawCalls.JsonRequest(Sandbox.Endpoint, "AmazonSSM.GetParameters", body);
        TestSigner.Sign(request, Encoding.UTF8.GetBytes(body), c.AccessKeyId, c.SecretAccessKey, c.SessionToken, Primary, "ssm", Clock.GetUtcNow().AddMinutes(minutes));

        var (status, json) = await RawCalls.SendJsonAsync(request);

        Assert.Equal(400, status);
        Assert.Equal("InvalidSignatureException", json["__type"]!.GetValue<string>());
        Assert.StartsWith(message, json["message"]!.GetValue<string>());
    }

    [Fact]
    public async Task RequestDateFourMinutesOff_IsAccepted()
    {
        var c = Sandbox.IssueCredentials(ReaderRole);
        const string body = """{"Names":["/p"]}""";
        using var request = RawCalls.JsonRequest(Sandbox.Endpoint, "AmazonSSM.GetParameters", body);
        TestSigner.Sign(request, Encoding.UTF8.GetBytes(body), c.AccessKeyId, c.SecretAccessKey, c.SessionToken, Primary, "ssm", Clock.GetUtcNow().AddMinutes(-4));

        var (status, _) = await RawCalls.SendJsonAsync(request);

        Assert.Equal(200, status);
    }

    [Fact]
    public async Task BodyChangedAfterSigning_IsInvalidSignatureException()
    {
        var c = Sandbox.IssueCredentials(ReaderRole);
        using var request = RawCalls.JsonRequest(Sandbox.Endpoint, "AmazonSSM.GetParameters", """{"Names":["/other"]}""");
        TestSigner.Sign(request, Encoding.UTF8.GetBytes("""{"Names":["/p"]}"""), c.AccessKeyId, c.SecretAccessKey, c.SessionToken, Primary, "ssm", Clock.GetUtcNow());

        var (status, json) = await RawCalls.SendJsonAsync(request);

        Assert.Equal((400, "InvalidSignatureException"), (status, json["__type"]!.GetValue<string>()));
    }

    [Fact]
    public async Task ScopeForAnotherService_IsInvalidSignatureException()
    {
        var c = Sandbox.IssueCredentials(ReaderRole);
        const string body = """{"SecretId":"s"}""";
        using var request = RawCalls.JsonRequest(Sandbox.Endpoint, "secretsmanager.GetSecretValue", body);
        TestSigner.Sign(request, Encoding.UTF8.GetBytes(body), c.AccessKeyId, c.SecretAccessKey, c.SessionToken, Primary, "ssm", Clock.GetUtcNow());

        var (status, json) = await RawCalls.SendJsonAsync(request);

        Assert.Equal((400, "InvalidSignatureException"), (status, json["__type"]!.GetValue<string>()));
        Assert.Contains("'secretsmanager'", json["Message"]!.GetValue<string>());
    }

    [Fact]
    public async Task UnsignedRequest_IsMissingAuthenticationToken()
    {
        using var request = RawCalls.JsonRequest(Sandbox.Endpoint, "secretsmanager.GetSecretValue", """{"SecretId":"s"}""");

        var (status, json) = await RawCalls.SendJsonAsync(request);

        Assert.Equal((400, "MissingAuthenticationTokenException"), (status, json["__type"]!.GetValue<string>()));
    }
}
