using Csi.Sandboxes.Aws;
using Csi.Sandboxes.Common;
using Csi.Testing;
using Grpc.Core;

namespace Csi.EndToEnd.Tests;

/// <summary>
/// Driver and AWS provider binaries as processes, the AWS and Kubernetes API sandboxes on loopback, kubelet's requests.
/// </summary>
[Collection(nameof(EndToEnd))]
public sealed class AwsEndToEndTests
{
    private static readonly IReadOnlyDictionary<string, string> InPrimary = new Dictionary<string, string> { ["region"] = AwsStack.Primary };

    private static readonly UnixFileMode Mode0644 = (UnixFileMode)Convert.ToInt32("644", 8);

    [Fact]
    public async Task Publish_WithIrsa_SecretsAndParameters_VersionsLabelsAliasesAndJmesPath_IntoATmpfs()
    {
        await using var stack = await AwsStack.StartAsync();
        var region = stack.Aws.Region(AwsStack.Primary);
        var first = region.PutSecretString("app/db", "pw-1");
        region.PutSecretString("app/db", "pw-2");
        region.PutSecretBinary("app/blob", [0, 1, 2, 255]);
        region.PutSecretString("app/creds", """{"username":"app","password":"hunter2"}""");
        region.PutParameter("/app/url", "https://one.example");
        region.PutParameter("/app/url", "https://two.example");
        region.LabelParameterVersion("/app/url", 1, "stable");
        region.PutParameter("/app/key", "k-123", "SecureString");
        // No region parameter: the provider reads it from the label of the pod's node.
        stack.WriteClass("app", new Dictionary<string, string>(), $"""
            - objectName: "app/db"
              objectType: secretsmanager
              filePermission: "0600"
            - objectName: "app/db"
              objectType: secretsmanager
              objectAlias: db-previous
              objectVersionLabel: AWSPREVIOUS
            - objectName: "app/db"
              objectType: secretsmanager
              objectAlias: db-first
              objectVersion: "{first}"
            - objectName: "app/blob"
              objectType: secretsmanager
            - objectName: "app/creds"
              objectType: secretsmanager
              jmesPath:
                - path: username
                  objectAlias: creds-user
                - path: password
                  objectAlias: creds-pass
                  filePermission: "0400"
            - objectName: "/app/url"
              objectType: ssmparameter
              objectAlias: url
            - objectName: "/app/url"
              objectType: ssmparameter
              objectAlias: url-1
              objectVersion: "1"
            - objectName: "/app/url"
              objectType: ssmparameter
              objectAlias: url-stable
              objectVersionLabel: stable
            - objectName: "/app/key"
              objectType: ssmparameter
            """);
        var target = stack.NewTarget();

        await stack.PublishAsync(stack.PublishRequest(target, "app"));

        Assert.Equal("tmpfs", MountTable.FileSystemAt(target));
        Assert.Equal("pw-2", Read(target, "app_db"));
        Assert.Equal("pw-1", Read(target, "db-previous"));
        Assert.Equal("pw-1", Read(target, "db-first"));
        Assert.Equal(new byte[] { 0, 1, 2, 255 }, File.ReadAllBytes(Path.Combine(target, "app_blob")));
        Assert.Equal("""{"username":"app","password":"hunter2"}""", Read(target, "app_creds"));
        Assert.Equal("app", Read(target, "creds-user"));
        Assert.Equal("hunter2", Read(target, "creds-pass"));
        Assert.Equal("https://two.example", Read(target, "url"));
        Assert.Equal("https://one.example", Read(target, "url-1"));
        Assert.Equal("https://one.example", Read(target, "url-stable"));
        Assert.Equal("k-123", Read(target, "_app_key"));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, ModeOf(target, "app_db"));
        Assert.Equal(UnixFileMode.UserRead, ModeOf(target, "creds-pass"));
        Assert.Equal(Mode0644, ModeOf(target, "creds-user"));
        Assert.Equal(Mode0644, ModeOf(target, "_app_key"));

        Assert.Equal(1, stack.Aws.CountRequests("AssumeRoleWithWebIdentity", statusCode: 200));
        Assert.Equal(0, stack.Aws.CountRequests("GetCredentials"));
        Assert.Equal(5, stack.Aws.CountRequests("GetSecretValue", AwsStack.Primary, 200));
        Assert.Equal(1, stack.Aws.CountRequests("GetParameters", AwsStack.Primary, 200));
        Assert.Equal(1, stack.Kubernetes.CountRequests(verb: "get", resource: "serviceaccounts"));
        Assert.Equal(1, stack.Kubernetes.CountRequests(verb: "get", resource: "nodes"));

        await stack.UnpublishAsync(target);
        Assert.Null(MountTable.FileSystemAt(target));
        Assert.False(Directory.Exists(target));
    }

    [Theory]
    [InlineData("-", "app-pi-token", "-app-pi-level")]
    [InlineData("False", "app/pi/token", "app/pi/level")]
    public async Task Publish_WithPodIdentity_ReadsThroughTheAgent_AndTranslatesPaths(string pathTranslation, string secretFile, string parameterFile)
    {
        await using var stack = await AwsStack.StartAsync();
        stack.Aws.Region(AwsStack.Primary).PutSecretString("app/pi/token", "pi-secret");
        stack.Aws.Region(AwsStack.Primary).PutParameter("/app/pi/level", "debug");
        stack.WriteClass("app", new Dictionary<string, string>(InPrimary) { ["usePodIdentity"] = "true", ["pathTranslation"] = pathTranslation }, """
            - objectName: "app/pi/token"
              objectType: secretsmanager
            - objectName: "/app/pi/level"
              objectType: ssmparameter
            """);
        var target = stack.NewTarget();

        await stack.PublishAsync(stack.PublishRequest(target, "app", new Dictionary<string, string>
        {
            [AwsSandbox.PodIdentityAudience] = stack.Token(AwsSandbox.PodIdentityAudience),
        }));

        Assert.Equal("tmpfs", MountTable.FileSystemAt(target));
        Assert.Equal("pi-secret", Read(target, secretFile));
        Assert.Equal("debug", Read(target, parameterFile));
        Assert.Equal(Mode0644, ModeOf(target, secretFile));
        Assert.Equal(1, stack.Aws.CountRequests("GetCredentials", statusCode: 200));
        Assert.Equal(0, stack.Aws.CountRequests("AssumeRoleWithWebIdentity"));
        Assert.Equal(0, stack.Kubernetes.CountRequests(verb: "get", resource: "serviceaccounts"));
    }

    [Fact]
    public async Task Publish_WithThePrimaryRegionFailing_MountsFromTheFailoverRegion()
    {
        await using var stack = await AwsStack.StartAsync();
        stack.Aws.Region(AwsStack.Primary).PutSecretString("app/db", "from-primary");
        stack.Aws.Region(AwsStack.Failover).PutSecretString("app/db", "from-failover");
        stack.Aws.Region(AwsStack.Failover).PutParameter("/app/url", "https://failover.example");
        stack.WriteClass("app", new Dictionary<string, string>(InPrimary) { ["failoverRegion"] = AwsStack.Failover }, """
            - objectName: "app/db"
              objectType: secretsmanager
            - objectName: "/app/url"
              objectType: ssmparameter
            """);
        stack.Aws.FailRegion(AwsStack.Primary, 503);
        var target = stack.NewTarget();

        await stack.PublishAsync(stack.PublishRequest(target, "app"));

        Assert.Equal("tmpfs", MountTable.FileSystemAt(target));
        Assert.Equal("from-failover", Read(target, "app_db"));
        Assert.Equal("https://failover.example", Read(target, "_app_url"));
        Assert.Equal(1, stack.Aws.CountRequests("GetSecretValue", AwsStack.Failover, 200));
        Assert.Equal(1, stack.Aws.CountRequests("GetParameters", AwsStack.Failover, 200));
        Assert.True(stack.Aws.CountRequests("GetSecretValue", AwsStack.Primary, 503) >= 1, stack.Output);
        Assert.Equal(0, stack.Aws.CountRequests("GetSecretValue", AwsStack.Primary, 200));
    }

    [Fact]
    public async Task Republish_AfterTheInterval_DescribesUnchangedSecrets_AndRewritesOnlyTheChangedOne()
    {
        await using var stack = await AwsStack.StartAsync(rotationInterval: "1s");
        var region = stack.Aws.Region(AwsStack.Primary);
        region.PutSecretString("app/a", "a-1");
        region.PutSecretString("app/b", "b-1");
        region.PutSecretString("app/c", "c-1");
        stack.WriteClass("app", InPrimary, """
            - {objectName: "app/a", objectType: secretsmanager, objectAlias: a}
            - {objectName: "app/b", objectType: secretsmanager, objectAlias: b}
            - {objectName: "app/c", objectType: secretsmanager, objectAlias: c}
            """);
        var target = stack.NewTarget();
        var request = stack.PublishRequest(target, "app");
        await stack.PublishAsync(request);
        var inodes = new[] { "a", "b", "c" }.ToDictionary(f => f, f => FileInode.Of(Path.Combine(target, f)));
        Assert.Equal(3, stack.Aws.CountRequests("GetSecretValue"));

        await Task.Delay(TimeSpan.FromSeconds(1.2));
        await stack.PublishAsync(request);

        Assert.Equal(3, stack.Aws.CountRequests("DescribeSecret", AwsStack.Primary, 200));
        Assert.Equal(3, stack.Aws.CountRequests("GetSecretValue"));
        Assert.Equal(["a-1", "b-1", "c-1"], new[] { "a", "b", "c" }.Select(f => Read(target, f)));
        Assert.All(inodes, i => Assert.Equal(i.Value, FileInode.Of(Path.Combine(target, i.Key))));
        Assert.Equal(1, stack.Aws.CountRequests("AssumeRoleWithWebIdentity"));

        region.PutSecretString("app/b", "b-2");
        await Task.Delay(TimeSpan.FromSeconds(1.2));
        await stack.PublishAsync(request);

        Assert.Equal(6, stack.Aws.CountRequests("DescribeSecret", AwsStack.Primary, 200));
        Assert.Equal(4, stack.Aws.CountRequests("GetSecretValue"));
        Assert.Equal(["a-1", "b-2", "c-1"], new[] { "a", "b", "c" }.Select(f => Read(target, f)));
        Assert.Equal(inodes["a"], FileInode.Of(Path.Combine(target, "a")));
        Assert.Equal(inodes["c"], FileInode.Of(Path.Combine(target, "c")));
        Assert.NotEqual(inodes["b"], FileInode.Of(Path.Combine(target, "b")));
    }

    [Theory]
    [InlineData("access-denied")]
    [InlineData("expired-irsa-token")]
    [InlineData("expired-pod-identity-token")]
    [InlineData("missing-secret")]
    public async Task Publish_ThatCannotBeServed_FailsClearly_AndLeavesNothingMounted(string failure)
    {
        await using var stack = await AwsStack.StartAsync();
        var region = stack.Aws.Region(AwsStack.Primary);
        region.PutSecretString("app/present", "present-value");
        region.PutSecretString("team-b/db", "not-for-web");
        var (parameters, objectName, code, mentions) = failure switch
        {
            "access-denied" => (InPrimary, "team-b/db", StatusCode.PermissionDenied, "AccessDeniedException"),
            "expired-irsa-token" => (InPrimary, "app/present", StatusCode.Unauthenticated, "AssumeRoleWithWebIdentity for role " + stack.RoleArn),
            "expired-pod-identity-token" => (new Dictionary<string, string>(InPrimary) { ["usePodIdentity"] = "true" }, "app/present", StatusCode.Unauthenticated, "Pod Identity"),
            _ => (InPrimary, "app/absent", StatusCode.NotFound, "app/absent"),
        };
        var issuedAt = failure.StartsWith("expired", StringComparison.Ordinal) ? DateTimeOffset.UtcNow.AddHours(-2) : DateTimeOffset.UtcNow;
        var tokens = new[] { AwsSandbox.StsAudience, AwsSandbox.PodIdentityAudience }.ToDictionary(a => a, a => stack.Aws.TokenIssuer.Mint(new ServiceAccountTokenRequest
        {
            Namespace = AwsStack.PodNamespace,
            ServiceAccountName = AwsStack.ServiceAccount,
            Audiences = [a],
            IssuedAt = issuedAt,
            Lifetime = TimeSpan.FromHours(1),
        }));
        stack.WriteClass("app", parameters, $$"""
            - {objectName: "app/present", objectType: secretsmanager}
            - {objectName: "{{objectName}}", objectType: secretsmanager, objectAlias: other}
            """);
        var target = stack.NewTarget();
        var request = stack.PublishRequest(target, "app", tokens);

        var error = await Assert.ThrowsAsync<RpcException>(() => stack.PublishAsync(request));

        Assert.True(code == error.StatusCode, $"{error.StatusCode}: {error.Status.Detail}\n{stack.Output}");
        Assert.True(error.Status.Detail.Contains(mentions, StringComparison.Ordinal), $"\"{error.Status.Detail}\" does not mention \"{mentions}\"");
        Assert.DoesNotContain("present-value", error.Status.Detail, StringComparison.Ordinal);
        Assert.DoesNotContain("not-for-web", error.Status.Detail, StringComparison.Ordinal);
        Assert.All(tokens.Values, t => Assert.DoesNotContain(t, error.Status.Detail + stack.Output, StringComparison.Ordinal));
        Assert.Null(MountTable.FileSystemAt(target));
        Assert.False(Directory.Exists(target));
    }

    private static string Read(string target, string file) => File.ReadAllText(Path.Combine(target, file));

    /// <summary>The mode of the file itself: the names in the target are symlinks into <c>..data</c>.</summary>
    private static UnixFileMode ModeOf(string target, string file) => File.GetUnixFileMode(Path.Combine(target, "..data", file));
}
