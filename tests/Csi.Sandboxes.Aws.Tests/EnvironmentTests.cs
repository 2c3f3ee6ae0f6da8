using Amazon;
using Amazon.Runtime;
using Amazon.SimpleSystemsManagement;
using Amazon.SimpleSystemsManagement.Model;

namespace Csi.Sandboxes.Aws.Tests;

[CollectionDefinition(nameof(EnvironmentTests), DisableParallelization = true)]
public sealed class ProcessEnvironment;

/// <summary>How the SDK reaches the sandbox through the standard environment variables (process-wide, so never in parallel).</summary>
[Collection(nameof(EnvironmentTests))]
public sealed class EnvironmentTests : SandboxTestBase, IDisposable
{
    private static readonly string[] Variables =
        ["AWS_ENDPOINT_URL_SSM", "AWS_ENDPOINT_URL_STS", "AWS_REGION", "AWS_CONTAINER_CREDENTIALS_FULL_URI", "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE"];

    private readonly string _tokenFile = Path.GetTempFileName();

    public void Dispose()
    {
        foreach (var name in Variables)
        {
            Environment.SetEnvironmentVariable(name, null);
        }

        File.Delete(_tokenFile);
    }

    [Fact]
    public async Task EndpointOverride_SignsWithAuthenticationRegion_NotWithRegionEndpoint()
    {
        Environment.SetEnvironmentVariable("AWS_ENDPOINT_URL_SSM", Sandbox.Endpoint.ToString());
        Environment.SetEnvironmentVariable("AWS_REGION", "eu-central-1");
        var c = Credentials();
        var credentials = new SessionAWSCredentials(c.AccessKey, c.SecretKey, c.Token);

        using (var regionOnly = new AmazonSimpleSystemsManagementClient(credentials, new AmazonSimpleSystemsManagementConfig { RegionEndpoint = RegionEndpoint.USWest2, MaxErrorRetry = 0 }))
        {
            await regionOnly.GetParametersAsync(new GetParametersRequest { Names = ["/p"] });
        }

        using (var pinned = new AmazonSimpleSystemsManagementClient(credentials, new AmazonSimpleSystemsManagementConfig { RegionEndpoint = RegionEndpoint.USWest2, AuthenticationRegion = "us-west-2", MaxErrorRetry = 0 }))
        {
            await pinned.GetParametersAsync(new GetParametersRequest { Names = ["/p"] });
        }

        Assert.Equal(["eu-central-1", "us-west-2"], Sandbox.Requests.Select(r => r.Region));
    }

    [Fact]
    public async Task WebIdentityCredentials_FromTokenFile_AssumeRoleThroughSandboxSts()
    {
        Sandbox.AddWebIdentityRole(ReaderRole, "apps", "web");
        Sandbox.Region(Primary).PutParameter("/p", "v");
        await File.WriteAllTextAsync(_tokenFile, Sandbox.TokenIssuer.Mint("apps", "web", AwsSandbox.StsAudience));
        Environment.SetEnvironmentVariable("AWS_ENDPOINT_URL_STS", Sandbox.Endpoint.ToString());
        Environment.SetEnvironmentVariable("AWS_REGION", Primary);

        var credentials = new AssumeRoleWithWebIdentityCredentials(_tokenFile, ReaderRole, "csi");
        using var ssm = new AmazonSimpleSystemsManagementClient(credentials, new AmazonSimpleSystemsManagementConfig
        {
            ServiceURL = Sandbox.Endpoint.ToString(),
            AuthenticationRegion = Primary,
            MaxErrorRetry = 0,
        });
        var response = await ssm.GetParametersAsync(new GetParametersRequest { Names = ["/p"] });

        Assert.Equal("v", response.Parameters[0].Value);
        Assert.Equal(1, Sandbox.CountRequests("AssumeRoleWithWebIdentity", statusCode: 200));
    }

    [Fact]
    public async Task ContainerCredentials_FromAgentEnvironment_ReadSsm()
    {
        Sandbox.AddPodIdentityAssociation("apps", "web", ReaderRole);
        Sandbox.Region(Primary).PutParameter("/p", "v");
        await File.WriteAllTextAsync(_tokenFile, Sandbox.TokenIssuer.Mint("apps", "web", AwsSandbox.PodIdentityAudience));
        Environment.SetEnvironmentVariable("AWS_CONTAINER_CREDENTIALS_FULL_URI", Sandbox.PodIdentityAgentEndpoint.ToString());
        Environment.SetEnvironmentVariable("AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE", _tokenFile);

        using var ssm = new AmazonSimpleSystemsManagementClient(new GenericContainerCredentials(), new AmazonSimpleSystemsManagementConfig
        {
            ServiceURL = Sandbox.Endpoint.ToString(),
            AuthenticationRegion = Primary,
            MaxErrorRetry = 0,
        });
        var response = await ssm.GetParametersAsync(new GetParametersRequest { Names = ["/p"] });

        Assert.Equal("v", response.Parameters[0].Value);
        Assert.Equal(1, Sandbox.CountRequests("GetCredentials", statusCode: 200));
    }
}
