using System.Globalization;
using System.Text.Json.Nodes;
using Csi.Sandboxes.Aws;
using Csi.Testing;
using SecretsStore.Provider.V1Alpha1;
using Xunit.Abstractions;

namespace Csi.Aot.Tests;

/// <summary>The AWS provider as shipped: published with Native AOT, run as a process, called as the driver calls it.</summary>
public sealed class AotAwsProviderTests(ITestOutputHelper output)
{
    private const string Project = "providers/Csi.Providers.Aws/Csi.Providers.Aws.csproj";
    private const string BinaryName = "secrets-store-csi-driver-provider-aws";

    [Fact]
    public async Task Aot_aws_provider_publishes_cleanly_and_mounts_a_secret_with_a_jmes_path()
    {
        var publish = await AotPublisher.PublishAsync(Project, BinaryName);
        Assert.True(publish.Succeeded, $"dotnet publish exited with {publish.ExitCode}:\n{publish.Log}");
        Assert.True(publish.TrimAndAotDiagnostics.Count == 0, "trim/AOT diagnostics:\n" + string.Join('\n', publish.TrimAndAotDiagnostics));
        output.WriteLine($"AOT aws provider: {new FileInfo(publish.BinaryPath).Length.ToString("N0", CultureInfo.InvariantCulture)} bytes");

        await using var aws = await AwsSandbox.StartAsync();
        var role = $"arn:aws:iam::{aws.AccountId}:role/app";
        aws.AddPodIdentityAssociation("default", "app", role);
        aws.Allow(role, string.Empty);
        var version = aws.Region("us-east-1").PutSecretString("db", """{"user":"app","auth":{"password":"aot-pw"}}""");

        using var directory = new TempDirectory("aot-aws");
        var socket = Path.Combine(directory.Path, "aws.sock");
        var environment = new Dictionary<string, string>
        {
            ["AWS_ENDPOINT_URL"] = aws.Endpoint.ToString(),
            ["AWS_CONTAINER_CREDENTIALS_FULL_URI"] = aws.PodIdentityAgentEndpoint.ToString(),
        };
        await using var provider = await ProviderProcess.StartAsync(publish.BinaryPath, ["--endpoint", socket, "--health-addr="], socket, directory.Path, environment: environment);
        output.WriteLine($"RSS after start: {provider.ReadRssKiB()} KiB");

        var versionResponse = await provider.Client.VersionAsync(new VersionRequest { Version = "v1alpha1" });
        var tokens = new JsonObject
        {
            [AwsSandbox.PodIdentityAudience] = new JsonObject
            {
                ["token"] = aws.TokenIssuer.Mint("default", "app", AwsSandbox.PodIdentityAudience, null),
                ["expirationTimestamp"] = DateTimeOffset.UtcNow.AddHours(1).ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture),
            },
        };
        var attributes = new JsonObject
        {
            ["region"] = "us-east-1",
            ["usePodIdentity"] = "true",
            ["objects"] = "- objectName: db\n  objectType: secretsmanager\n  jmesPath:\n    - path: auth.password\n      objectAlias: password\n",
            ["csi.storage.k8s.io/pod.name"] = "app-0",
            ["csi.storage.k8s.io/pod.namespace"] = "default",
            ["csi.storage.k8s.io/pod.uid"] = "uid-0",
            ["csi.storage.k8s.io/serviceAccount.name"] = "app",
            ["csi.storage.k8s.io/serviceAccount.tokens"] = tokens.ToJsonString(),
        };
        var response = await provider.Client.MountAsync(new MountRequest { Attributes = attributes.ToJsonString(), Secrets = "{}", Permission = "420", TargetPath = "/nonexistent" });

        Assert.Equal(("v1alpha1", BinaryName), (versionResponse.Version, versionResponse.RuntimeName));
        Assert.Equal([("db", 420), ("password", 420)], response.Files.Select(f => (f.Path, f.Mode)));
        Assert.Equal("aot-pw", response.Files[1].Contents.ToStringUtf8());
        Assert.All(response.ObjectVersion, v => Assert.Equal(version, v.Version));
        Assert.Equal(0, await provider.StopAsync());
    }
}
