using System.Text.Json.Nodes;
using Amazon.Runtime;
using Amazon.SimpleSystemsManagement.Model;
using Csi.Sandboxes.Common;

namespace Csi.Sandboxes.Aws.Tests;

public sealed class PodIdentityTests : SandboxTestBase
{
    private async Task<(int Status, JsonObject Body)> GetCredentialsAsync(string? authorization)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, Sandbox.PodIdentityAgentEndpoint);
        if (authorization is not null)
        {
            request.Headers.TryAddWithoutValidation("Authorization", authorization);
        }

        return await RawCalls.SendJsonAsync(request);
    }

    [Fact]
    public async Task Agent_ReturnsContainerCredentials_ThatReadSsm()
    {
        Sandbox.AddPodIdentityAssociation("apps", "web", ReaderRole);
        Sandbox.Region(Primary).PutParameter("/p", "v");

        var (status, body) = await GetCredentialsAsync(Sandbox.TokenIssuer.Mint("apps", "web", "pods.eks.amazonaws.com"));
        var credentials = new ImmutableCredentials(body["AccessKeyId"]!.GetValue<string>(), body["SecretAccessKey"]!.GetValue<string>(), body["Token"]!.GetValue<string>());
        var read = await Ssm(credentials).GetParametersAsync(new GetParametersRequest { Names = ["/p"] });

        Assert.Equal(200, status);
        Assert.Equal("111122223333", body["AccountId"]!.GetValue<string>());
        Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$", body["Expiration"]!.GetValue<string>());
        Assert.EndsWith("/v1/credentials", Sandbox.PodIdentityAgentEndpoint.AbsolutePath);
        Assert.Equal("v", read.Parameters[0].Value);
        Assert.Equal(1, Sandbox.CountRequests("GetCredentials", statusCode: 200));
    }

    [Fact]
    public async Task MissingToken_Is400()
    {
        var (status, body) = await GetCredentialsAsync(null);

        Assert.Equal(400, status);
        Assert.NotNull(body["code"]);
        Assert.NotNull(body["message"]);
    }

    [Fact]
    public async Task BearerPrefixedOrWrongAudienceToken_Is401()
    {
        Sandbox.AddPodIdentityAssociation("apps", "web", ReaderRole);

        var bearer = await GetCredentialsAsync("Bearer " + Sandbox.TokenIssuer.Mint("apps", "web", "pods.eks.amazonaws.com"));
        var stsAudience = await GetCredentialsAsync(Sandbox.TokenIssuer.Mint("apps", "web", "sts.amazonaws.com"));

        Assert.Equal(401, bearer.Status);
        Assert.Equal((401, "InvalidTokenException"), (stsAudience.Status, stsAudience.Body["code"]!.GetValue<string>()));
    }

    [Fact]
    public async Task ExpiredToken_Is401ExpiredTokenException()
    {
        Sandbox.AddPodIdentityAssociation("apps", "web", ReaderRole);
        var token = Sandbox.TokenIssuer.Mint(new ServiceAccountTokenRequest
        {
            Namespace = "apps",
            ServiceAccountName = "web",
            Audiences = ["pods.eks.amazonaws.com"],
            IssuedAt = Clock.GetUtcNow().AddHours(-3),
        });

        var (status, body) = await GetCredentialsAsync(token);

        Assert.Equal((401, "ExpiredTokenException"), (status, body["code"]!.GetValue<string>()));
    }

    [Fact]
    public async Task ServiceAccountWithoutAssociation_Is403()
    {
        Sandbox.AddPodIdentityAssociation("apps", "web", ReaderRole);

        var (status, body) = await GetCredentialsAsync(Sandbox.TokenIssuer.Mint("apps", "other", "pods.eks.amazonaws.com"));

        Assert.Equal((403, "AccessDeniedException"), (status, body["code"]!.GetValue<string>()));
    }
}
