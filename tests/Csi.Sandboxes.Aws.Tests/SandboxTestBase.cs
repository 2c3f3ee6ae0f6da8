using Amazon.Runtime;
using Amazon.SimpleSystemsManagement;
using Microsoft.Extensions.Time.Testing;

namespace Csi.Sandboxes.Aws.Tests;

/// <summary>A started sandbox with a reader role, plus real SDK clients and a signed Secrets Manager caller wired to it.</summary>
public abstract class SandboxTestBase : IAsyncLifetime
{
    protected const string Primary = "us-east-1";
    protected const string Secondary = "us-west-2";
    protected const string ReaderRole = "arn:aws:iam::111122223333:role/csi-reader";
    protected const string OtherRole = "arn:aws:iam::111122223333:role/other";

    private readonly List<IDisposable> _disposables = [];

    protected FakeTimeProvider Clock { get; } = new(DateTimeOffset.UtcNow);

    protected AwsSandbox Sandbox { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Sandbox = await AwsSandbox.StartAsync(new AwsSandboxOptions { TimeProvider = Clock });
        Sandbox.Allow(ReaderRole, "");
    }

    public async Task DisposeAsync()
    {
        foreach (var d in _disposables)
        {
            d.Dispose();
        }

        await Sandbox.DisposeAsync();
    }

    protected ImmutableCredentials Credentials(string roleArn = ReaderRole, TimeSpan? lifetime = null)
    {
        var issued = Sandbox.IssueCredentials(roleArn, lifetime);
        return new ImmutableCredentials(issued.AccessKeyId, issued.SecretAccessKey, issued.SessionToken);
    }

    protected AmazonSimpleSystemsManagementClient Ssm(ImmutableCredentials? credentials = null, string region = Primary, int retries = 0)
    {
        var c = credentials ?? Credentials();
        var client = new AmazonSimpleSystemsManagementClient(
            new SessionAWSCredentials(c.AccessKey, c.SecretKey, c.Token),
            new AmazonSimpleSystemsManagementConfig
            {
                ServiceURL = Sandbox.Endpoint.ToString(),
                AuthenticationRegion = region,
                MaxErrorRetry = retries,
            });
        _disposables.Add(client);
        return client;
    }

    internal SecretsManagerCaller SecretsManager(ImmutableCredentials? credentials = null, string region = Primary)
    {
        var caller = new SecretsManagerCaller(Sandbox.Endpoint, credentials ?? Credentials(), region);
        _disposables.Add(caller);
        return caller;
    }
}
