using System.Net;
using System.Xml.Linq;
using Amazon.Runtime;
using Amazon.SecurityToken;
using Amazon.SecurityToken.Model;
using Amazon.SimpleSystemsManagement.Model;
using Csi.Sandboxes.Common;

namespace Csi.Sandboxes.Aws.Tests;

public sealed class StsTests : SandboxTestBase
{
    private static readonly XNamespace Sts = "https://sts.amazonaws.com/doc/2011-06-15/";

    private AmazonSecurityTokenServiceClient StsClient() =>
        new(new AnonymousAWSCredentials(), new AmazonSecurityTokenServiceConfig { ServiceURL = Sandbox.Endpoint.ToString(), AuthenticationRegion = Primary, MaxErrorRetry = 0 });

    private Task<AssumeRoleWithWebIdentityResponse> AssumeAsync(string token, string role = ReaderRole, int? durationSeconds = null)
    {
        using var client = StsClient();
        return client.AssumeRoleWithWebIdentityAsync(new AssumeRoleWithWebIdentityRequest
        {
            RoleArn = role,
            RoleSessionName = "csi-session",
            WebIdentityToken = token,
            DurationSeconds = durationSeconds,
        });
    }

    [Fact]
    public async Task AssumeRoleWithWebIdentity_ReturnsSessionCredentialsAndIdentity()
    {
        Sandbox.AddWebIdentityRole(ReaderRole, "apps", "web");

        var response = await AssumeAsync(Sandbox.TokenIssuer.Mint("apps", "web", "sts.amazonaws.com"));

        Assert.StartsWith("ASIA", response.Credentials.AccessKeyId);
        Assert.False(string.IsNullOrEmpty(response.Credentials.SecretAccessKey));
        Assert.False(string.IsNullOrEmpty(response.Credentials.SessionToken));
        Assert.Equal(Clock.GetUtcNow().AddHours(1).ToUnixTimeSeconds(), new DateTimeOffset(response.Credentials.Expiration!.Value.ToUniversalTime()).ToUnixTimeSeconds(), 1.0);
        Assert.Equal("arn:aws:sts::111122223333:assumed-role/csi-reader/csi-session", response.AssumedRoleUser.Arn);
        Assert.EndsWith(":csi-session", response.AssumedRoleUser.AssumedRoleId);
        Assert.Equal("system:serviceaccount:apps:web", response.SubjectFromWebIdentityToken);
        Assert.Equal("sts.amazonaws.com", response.Audience);
        Assert.Equal("arn:aws:iam::111122223333:oidc-provider/kubernetes.default.svc.cluster.local", response.Provider);
        Assert.Equal(1, Sandbox.CountRequests("AssumeRoleWithWebIdentity", statusCode: 200));
    }

    [Fact]
    public async Task AssumedCredentials_ReadSsm_AndExpireWithTheSession()
    {
        Sandbox.AddWebIdentityRole(ReaderRole, "apps", "web");
        Sandbox.Region(Primary).PutParameter("/p", "v");
        var response = await AssumeAsync(Sandbox.TokenIssuer.Mint("apps", "web", "sts.amazonaws.com"), durationSeconds: 900);
        var c = response.Credentials;
        var ssm = Ssm(new ImmutableCredentials(c.AccessKeyId, c.SecretAccessKey, c.SessionToken));

        var read = await ssm.GetParametersAsync(new GetParametersRequest { Names = ["/p"] });
        Clock.Advance(TimeSpan.FromMinutes(16));
        var e = await Assert.ThrowsAsync<Amazon.SimpleSystemsManagement.AmazonSimpleSystemsManagementException>(() => ssm.GetParametersAsync(new GetParametersRequest { Names = ["/p"] }));

        Assert.Equal("v", read.Parameters[0].Value);
        Assert.Equal("ExpiredTokenException", e.ErrorCode);
        Assert.Equal(c.AccessKeyId, Sandbox.Requests.Last(r => r.Service == "ssm").AccessKeyId);
    }

    [Fact]
    public async Task WrongAudience_IsInvalidIdentityToken()
    {
        Sandbox.AddWebIdentityRole(ReaderRole, "apps", "web");

        var e = await Assert.ThrowsAsync<InvalidIdentityTokenException>(() => AssumeAsync(Sandbox.TokenIssuer.Mint("apps", "web", "pods.eks.amazonaws.com")));

        Assert.Equal("InvalidIdentityToken", e.ErrorCode);
        Assert.Equal(HttpStatusCode.BadRequest, e.StatusCode);
        Assert.Equal("Incorrect token audience", e.Message);
    }

    [Fact]
    public async Task WrongSubject_IsAccessDenied403()
    {
        Sandbox.AddWebIdentityRole(ReaderRole, "apps", "web");

        var e = await Assert.ThrowsAsync<AmazonSecurityTokenServiceException>(() => AssumeAsync(Sandbox.TokenIssuer.Mint("apps", "intruder", "sts.amazonaws.com")));

        Assert.Equal("AccessDenied", e.ErrorCode);
        Assert.Equal(HttpStatusCode.Forbidden, e.StatusCode);
        Assert.Equal("Not authorized to perform sts:AssumeRoleWithWebIdentity", e.Message);
    }

    [Fact]
    public async Task UnknownRole_IsAccessDenied()
    {
        Sandbox.AddWebIdentityRole(ReaderRole, "apps", "web");

        var e = await Assert.ThrowsAsync<AmazonSecurityTokenServiceException>(() =>
            AssumeAsync(Sandbox.TokenIssuer.Mint("apps", "web", "sts.amazonaws.com"), "arn:aws:iam::111122223333:role/nobody"));

        Assert.Equal("AccessDenied", e.ErrorCode);
    }

    [Fact]
    public async Task ExpiredToken_IsExpiredTokenException()
    {
        Sandbox.AddWebIdentityRole(ReaderRole, "apps", "web");
        var token = Sandbox.TokenIssuer.Mint(new ServiceAccountTokenRequest
        {
            Namespace = "apps",
            ServiceAccountName = "web",
            Audiences = ["sts.amazonaws.com"],
            IssuedAt = Clock.GetUtcNow().AddHours(-2),
            Lifetime = TimeSpan.FromHours(1),
        });

        var e = await Assert.ThrowsAsync<Amazon.SecurityToken.Model.ExpiredTokenException>(() => AssumeAsync(token));

        Assert.Equal("ExpiredTokenException", e.ErrorCode);
        Assert.StartsWith("Token expired", e.Message);
    }

    [Fact]
    public async Task TokenFromAnotherIssuer_IsInvalidIdentityToken_NoOidcProvider()
    {
        Sandbox.AddWebIdentityRole(ReaderRole, "apps", "web");
        using var stranger = new ServiceAccountTokenIssuer("https://oidc.example.com/id/ABC", Clock);

        var e = await Assert.ThrowsAsync<InvalidIdentityTokenException>(() => AssumeAsync(stranger.Mint("apps", "web", "sts.amazonaws.com")));

        Assert.Contains("No OpenIDConnect provider found", e.Message);
    }

    [Fact]
    public async Task TamperedToken_IsInvalidIdentityToken()
    {
        Sandbox.AddWebIdentityRole(ReaderRole, "apps", "web");
        var token = Sandbox.TokenIssuer.Mint("apps", "web", "sts.amazonaws.com");
        var tampered = token[..^4] + (token.EndsWith("AAAA", StringComparison.Ordinal) ? "BBBB" : "AAAA");

        var e = await Assert.ThrowsAsync<InvalidIdentityTokenException>(() => AssumeAsync(tampered));

        Assert.Equal("InvalidIdentityToken", e.ErrorCode);
    }

    [Fact]
    public async Task DurationBeyondMaxSession_IsValidationError()
    {
        Sandbox.AddWebIdentityRole(ReaderRole, "apps", "web");

        var e = await Assert.ThrowsAsync<AmazonSecurityTokenServiceException>(() =>
            AssumeAsync(Sandbox.TokenIssuer.Mint("apps", "web", "sts.amazonaws.com"), durationSeconds: 7200));

        Assert.Equal("ValidationError", e.ErrorCode);
        Assert.Contains("MaxSessionDuration", e.Message);
    }

    [Fact]
    public async Task GetQueryForm_IsServed_AndRegionIsTakenFromThePath()
    {
        Sandbox.AddWebIdentityRole(ReaderRole, "apps", "web");
        var token = Sandbox.TokenIssuer.Mint("apps", "web", "sts.amazonaws.com");
        var uri = new Uri(Sandbox.Endpoint, $"eu-west-1/?Action=AssumeRoleWithWebIdentity&Version=2011-06-15&RoleArn={Uri.EscapeDataString(ReaderRole)}&RoleSessionName=s1&WebIdentityToken={token}");

        var (status, body) = await RawCalls.SendAsync(new HttpRequestMessage(HttpMethod.Get, uri));

        Assert.True(status == 200, body);
        var xml = XDocument.Parse(body);
        Assert.NotNull(xml.Root!.Element(Sts + "AssumeRoleWithWebIdentityResult")!.Element(Sts + "Credentials")!.Element(Sts + "AccessKeyId"));
        Assert.NotNull(xml.Root.Element(Sts + "ResponseMetadata")!.Element(Sts + "RequestId"));
        Assert.Equal(1, Sandbox.CountRequests("AssumeRoleWithWebIdentity", "eu-west-1", 200));
    }

    [Fact]
    public async Task MissingParameter_IsValidationError_InErrorResponseXml()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, Sandbox.Endpoint)
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string> { ["Action"] = "AssumeRoleWithWebIdentity", ["Version"] = "2011-06-15", ["RoleArn"] = ReaderRole }),
        };

        var (status, body) = await RawCalls.SendAsync(request);

        Assert.Equal(400, status);
        var error = XDocument.Parse(body).Root!.Element(Sts + "Error")!;
        Assert.Equal("Sender", error.Element(Sts + "Type")!.Value);
        Assert.Equal("ValidationError", error.Element(Sts + "Code")!.Value);
        Assert.Contains("roleSessionName", error.Element(Sts + "Message")!.Value);
    }

    [Fact]
    public async Task UnknownAction_IsInvalidAction()
    {
        var (status, body) = await RawCalls.SendAsync(new HttpRequestMessage(HttpMethod.Get, new Uri(Sandbox.Endpoint, "?Action=GetSessionToken&Version=2011-06-15")));

        Assert.Equal(400, status);
        Assert.Contains("<Code>InvalidAction</Code>", body);
    }
}
