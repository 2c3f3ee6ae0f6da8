using System.Net;
using Amazon.SimpleSystemsManagement;
using Amazon.SimpleSystemsManagement.Model;

namespace Csi.Sandboxes.Aws.Tests;

public sealed class FaultTests : SandboxTestBase
{
    private static GetParametersRequest P => new() { Names = ["/p"] };

    [Fact]
    public async Task ThrottleNextRequests_AnswersThrottlingException_ThenRecovers()
    {
        Sandbox.Region(Primary).PutParameter("/p", "v");
        Sandbox.ThrottleNextRequests(1);
        var client = Ssm();

        var e = await Assert.ThrowsAsync<AmazonSimpleSystemsManagementException>(() => client.GetParametersAsync(P));
        var after = await client.GetParametersAsync(P);

        Assert.Equal(("ThrottlingException", HttpStatusCode.BadRequest, "Rate exceeded"), (e.ErrorCode, e.StatusCode, e.Message));
        Assert.Equal("v", after.Parameters[0].Value);
        Assert.Equal(1, Sandbox.CountRequests("GetParameters", Primary, 400));
        Assert.Equal("ThrottlingException", Sandbox.Requests[0].ErrorType);
    }

    [Fact]
    public async Task SdkRetries_ThroughThrottling()
    {
        Sandbox.Region(Primary).PutParameter("/p", "v");
        Sandbox.ThrottleNextRequests(2);

        var response = await Ssm(retries: 3).GetParametersAsync(P);

        Assert.Equal("v", response.Parameters[0].Value);
        Assert.Equal(2, Sandbox.CountRequests("GetParameters", statusCode: 400));
        Assert.Equal(1, Sandbox.CountRequests("GetParameters", statusCode: 200));
    }

    [Fact]
    public async Task RegionalThrottle_LeavesOtherRegionsAlone()
    {
        Sandbox.ThrottleNextRequests(5, Secondary);
        var credentials = Credentials();

        await Ssm(credentials, Primary).GetParametersAsync(P);
        var e = await Assert.ThrowsAsync<AmazonSimpleSystemsManagementException>(() => Ssm(credentials, Secondary).GetParametersAsync(P));

        Assert.Equal("ThrottlingException", e.ErrorCode);
    }

    [Fact]
    public async Task SecretsManagerIsThrottledToo()
    {
        Sandbox.Region(Primary).PutSecretString("s", "v");
        Sandbox.ThrottleNextRequests(1);

        var answer = await SecretsManager().GetSecretValueAsync("s");

        Assert.Equal((400, "ThrottlingException"), (answer.Status, answer.ErrorType));
    }

    [Fact]
    public async Task FailRegion_FailsOnlyThatRegion_UntilRestored()
    {
        Sandbox.Region(Primary).PutSecretString("s", "east");
        Sandbox.Region(Secondary).PutSecretString("s", "west");
        Sandbox.FailRegion(Secondary);
        var credentials = Credentials();

        var east = await SecretsManager(credentials, Primary).GetSecretValueAsync("s");
        var west = await SecretsManager(credentials, Secondary).GetSecretValueAsync("s");
        var ssm = await Assert.ThrowsAnyAsync<AmazonSimpleSystemsManagementException>(() => Ssm(credentials, Secondary).GetParametersAsync(P));
        Sandbox.RestoreRegion(Secondary);
        var restored = await SecretsManager(credentials, Secondary).GetSecretValueAsync("s");

        Assert.Equal(200, east.Status);
        Assert.Equal((500, "InternalServiceError"), (west.Status, west.ErrorType));
        Assert.Equal(("InternalServerError", HttpStatusCode.InternalServerError), (ssm.ErrorCode, ssm.StatusCode));
        Assert.Equal("west", restored.Body["SecretString"]!.GetValue<string>());
        Assert.Equal(1, Sandbox.CountRequests("GetSecretValue", Secondary, 500));
    }

    [Fact]
    public async Task FailRegion503_IsServiceUnavailable_AndTheSdkRetriesIt()
    {
        Sandbox.FailRegion(Primary, 503);

        var e = await Assert.ThrowsAnyAsync<Amazon.Runtime.AmazonServiceException>(() => Ssm(retries: 2).GetParametersAsync(P));

        Assert.Equal(HttpStatusCode.ServiceUnavailable, e.StatusCode);
        Assert.Equal(3, Sandbox.CountRequests("GetParameters", Primary, 503));
    }

    [Fact]
    public async Task RequestLog_RecordsRegionServiceOperationKeyAndError_NeverValues()
    {
        Sandbox.Region(Primary).PutSecretString("s", "super-secret-value");
        var credentials = Credentials();

        await SecretsManager(credentials).GetSecretValueAsync("s");
        await SecretsManager(credentials).GetSecretValueAsync("missing");

        Assert.Equal(
            [new AwsRequest(Primary, "secretsmanager", "GetSecretValue", 200, credentials.AccessKey, null),
             new AwsRequest(Primary, "secretsmanager", "GetSecretValue", 400, credentials.AccessKey, "ResourceNotFoundException")],
            Sandbox.Requests);
        Assert.DoesNotContain(Sandbox.Requests, r => r.ToString().Contains("super-secret-value", StringComparison.Ordinal));
        Sandbox.ClearRequests();
        Assert.Empty(Sandbox.Requests);
    }

    [Fact]
    public async Task Dispose_StopsBothListeners()
    {
        var endpoint = Sandbox.Endpoint;
        var agent = Sandbox.PodIdentityAgentEndpoint;
        await Sandbox.DisposeAsync();
        using var http = new HttpClient();

        await Assert.ThrowsAsync<HttpRequestException>(() => http.GetAsync(endpoint));
        await Assert.ThrowsAsync<HttpRequestException>(() => http.GetAsync(agent));
    }
}
