using System.Text;
using Csi.ProviderHost;
using Csi.Sandboxes.Aws;
using Csi.Sandboxes.Common;
using Grpc.Core;
using static Csi.Providers.Aws.Tests.Functional.AwsProviderHarness;

namespace Csi.Providers.Aws.Tests.Functional;

public sealed class MountTests : IAsyncLifetime
{
    private AwsProviderHarness _h = null!;

    public async Task InitializeAsync() => _h = await AwsProviderHarness.StartAsync();

    public async Task DisposeAsync() => await _h.DisposeAsync();

    private static string Text(SecretsStore.Provider.V1Alpha1.File file) => file.Contents.ToStringUtf8();

    [Fact]
    public async Task Irsa_SecretsManagerStringBinaryAndSsm_AreFilesWithVersions()
    {
        _h.UseIrsa();
        var region = _h.Aws.Region(Primary);
        var v1 = region.PutSecretString("db/password", "s3cr3t-db");
        var bin = region.PutSecretBinary("blob", [0, 1, 2, 255]);
        var p1 = region.PutParameter("/app/url", "https://example", "SecureString");

        var tokens = new Dictionary<string, string> { [AwsSandbox.StsAudience] = _h.Token(AwsSandbox.StsAudience) };
        var response = await _h.MountAsync(_h.Request("""
            - objectName: "db/password"
              objectType: secretsmanager
              filePermission: "0600"
            - objectName: blob
              objectType: secretsmanager
            - objectName: /app/url
              objectType: ssmparameter
              objectAlias: url
            """, tokens: tokens));

        Assert.Equal([("db_password", 384), ("blob", 420), ("url", 420)], response.Files.Select(f => (f.Path, f.Mode)));
        Assert.Equal("s3cr3t-db", Text(response.Files[0]));
        Assert.Equal(new byte[] { 0, 1, 2, 255 }, response.Files[1].Contents.ToByteArray());
        Assert.Equal("https://example", Text(response.Files[2]));
        Assert.Equal([("db_password", v1), ("blob", bin), ("url", p1.ToString(System.Globalization.CultureInfo.InvariantCulture))], response.ObjectVersion.Select(v => (v.Id, v.Version)));
        Assert.Equal(1, _h.Aws.CountRequests("AssumeRoleWithWebIdentity"));
        Assert.Equal(1, _h.Kubernetes.CountRequests(verb: "get", resource: "serviceaccounts"));

        // A second mount with the same token (kubelet re-sends it until it nears expiry) re-uses the STS credentials;
        // a new token earns its own.
        await _h.MountAsync(_h.Request("- {objectName: blob, objectType: secretsmanager}", tokens: tokens));
        Assert.Equal(1, _h.Aws.CountRequests("AssumeRoleWithWebIdentity"));
        await _h.MountAsync(_h.Request("- {objectName: blob, objectType: secretsmanager}"));
        Assert.Equal(2, _h.Aws.CountRequests("AssumeRoleWithWebIdentity"));
    }

    [Fact]
    public async Task PodIdentity_SecretAndParameter_AreMounted()
    {
        _h.UsePodIdentity();
        _h.Aws.Region(Primary).PutSecretString("api-key", "k-123");
        _h.Aws.Region(Primary).PutParameter("plain", "v");

        var response = await _h.MountAsync(_h.Request(
            "- {objectName: api-key, objectType: secretsmanager}\n- {objectName: plain, objectType: ssmparameter}",
            new Dictionary<string, string> { ["usePodIdentity"] = "true", ["preferredAddressType"] = "ipv4" }));

        Assert.Equal(["k-123", "v"], response.Files.Select(Text));
        Assert.Equal(1, _h.Aws.CountRequests("GetCredentials"));
        Assert.Equal(0, _h.Aws.CountRequests("AssumeRoleWithWebIdentity"));
        Assert.Equal(0, _h.Kubernetes.CountRequests(verb: "get", resource: "serviceaccounts"));
    }

    [Fact]
    public async Task VersionsAndLabels_SelectTheRightValues()
    {
        _h.UseIrsa();
        var region = _h.Aws.Region(Primary);
        var old = region.PutSecretString("s", "old");
        var current = region.PutSecretString("s", "new");
        region.PutParameter("/p", "one");
        region.PutParameter("/p", "two");
        region.LabelParameterVersion("/p", 1, "stable");

        var response = await _h.MountAsync(_h.Request($"""
            - {"{"}objectName: s, objectType: secretsmanager{"}"}
            - {"{"}objectName: s, objectType: secretsmanager, objectAlias: s-prev, objectVersionLabel: AWSPREVIOUS{"}"}
            - {"{"}objectName: s, objectType: secretsmanager, objectAlias: s-old, objectVersion: "{old}"{"}"}
            - {"{"}objectName: /p, objectType: ssmparameter, objectAlias: p-latest{"}"}
            - {"{"}objectName: /p, objectType: ssmparameter, objectAlias: p-1, objectVersion: "1"{"}"}
            - {"{"}objectName: /p, objectType: ssmparameter, objectAlias: p-stable, objectVersionLabel: stable{"}"}
            """));

        Assert.Equal([("s", "new", current), ("s-prev", "old", old), ("s-old", "old", old), ("p-latest", "two", "2"), ("p-1", "one", "1"), ("p-stable", "one", "1")],
            response.Files.Zip(response.ObjectVersion).Select(x => (x.First.Path, Text(x.First), x.Second.Version)));
    }

    [Fact]
    public async Task JmesPath_WritesOneFilePerKey_WithTheObjectsVersion()
    {
        _h.UseIrsa();
        var version = _h.Aws.Region(Primary).PutSecretString("creds", """{"username":"app","password":"hunter2"}""");

        var response = await _h.MountAsync(_h.Request("""
            - objectName: creds
              objectType: secretsmanager
              jmesPath:
                - path: username
                  objectAlias: user
                - path: password
                  objectAlias: pass
                  filePermission: "0400"
            """));

        Assert.Equal([("creds", 420), ("user", 420), ("pass", 256)], response.Files.Select(f => (f.Path, f.Mode)));
        Assert.Equal(["app", "hunter2"], response.Files.Skip(1).Select(Text));
        Assert.All(response.ObjectVersion, v => Assert.Equal(version, v.Version));
        Assert.Equal(["creds", "user", "pass"], response.ObjectVersion.Select(v => v.Id));
    }

    [Fact]
    public async Task JmesPath_OnAValueThatIsNotJson_FailsNamingTheObject()
    {
        _h.UseIrsa();
        _h.Aws.Region(Primary).PutSecretString("plain", "not-json-secret-value");

        var e = await _h.MountFailsAsync(_h.Request("- {objectName: plain, objectType: secretsmanager, jmesPath: [{path: a, objectAlias: a}]}"));

        Assert.Equal(StatusCode.InvalidArgument, e.StatusCode);
        Assert.Contains("objects[0] (objectName \"plain\"): jmesPath: Invalid JSON used with jmesPath in secret: plain.", e.Status.Detail, StringComparison.Ordinal);
        Assert.DoesNotContain("not-json-secret-value", e.Status.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Region_ComesFromTheNodeLabel_WhenNotSet()
    {
        _h.UseIrsa();
        _h.SeedPodOnNode("eu-west-1");
        _h.Aws.Region("eu-west-1").PutSecretString("s", "from-eu");

        var response = await _h.MountAsync(_h.Request("- {objectName: s, objectType: secretsmanager}", new Dictionary<string, string> { ["region"] = "" }));

        Assert.Equal("from-eu", Text(Assert.Single(response.Files)));
        Assert.Equal(1, _h.Kubernetes.CountRequests(verb: "get", resource: "pods"));
        Assert.Equal(1, _h.Kubernetes.CountRequests(verb: "get", resource: "nodes"));
        Assert.Equal(1, _h.Aws.CountRequests("GetSecretValue", "eu-west-1"));
    }

    [Fact]
    public async Task Region_NodeWithoutLabel_SaysHowToFixIt()
    {
        _h.UseIrsa();
        _h.SeedPodOnNode(region: null);

        var e = await _h.MountFailsAsync(_h.Request("- {objectName: s, objectType: secretsmanager}", new Dictionary<string, string> { ["region"] = "" }));

        Assert.Equal(StatusCode.FailedPrecondition, e.StatusCode);
        Assert.Contains("failed to retrieve region from node. error Region not found: node node-a has no label topology.kubernetes.io/region", e.Status.Detail, StringComparison.Ordinal);
        Assert.Contains("set the region parameter", e.Status.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Failover_PrimaryDown_UsesTheFailoverRegion()
    {
        _h.UseIrsa();
        _h.Aws.Region(Primary).PutSecretString("s", "primary");
        var failoverVersion = _h.Aws.Region(Secondary).PutSecretString("s", "secondary");
        _h.Aws.Region(Secondary).PutParameter("/p", "secondary-p");
        var parameters = new Dictionary<string, string> { ["failoverRegion"] = Secondary };
        const string objects = "- {objectName: s, objectType: secretsmanager}\n- {objectName: /p, objectType: ssmparameter}";

        _h.Aws.FailRegion(Primary, 503);
        var response = await _h.MountAsync(_h.Request(objects, parameters));

        Assert.Equal(["secondary", "secondary-p"], response.Files.Select(Text));
        Assert.Equal(failoverVersion, response.ObjectVersion[0].Version);
        Assert.Contains(_h.Logs.Lines, l => l.Contains("AwsRegionFailed", StringComparison.Ordinal) && l.Contains(Primary, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Failover_BothUp_PrimaryWins_AndAClientErrorInEitherIsFatal()
    {
        _h.UseIrsa();
        _h.Aws.Region(Primary).PutSecretString("s", "primary");
        _h.Aws.Region(Secondary).PutSecretString("s-copy", "secondary");
        var parameters = new Dictionary<string, string> { ["failoverRegion"] = Secondary };

        var response = await _h.MountAsync(_h.Request("- {objectName: s, objectType: secretsmanager, objectAlias: s, failoverObject: {objectName: s-copy}}", parameters));
        Assert.Equal("primary", Text(Assert.Single(response.Files)));
        Assert.Equal(1, _h.Aws.CountRequests("GetSecretValue", Secondary));

        // The failover region lacks "s": upstream treats that 4xx as fatal even though the primary has it.
        var e = await _h.MountFailsAsync(_h.Request("- {objectName: s, objectType: secretsmanager}", parameters));
        Assert.Equal(StatusCode.NotFound, e.StatusCode);
        Assert.Contains($"objects[0] (objectName \"s\"): {Secondary}: Failed fetching secret s: ResourceNotFoundException", e.Status.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Failover_BothDown_ListsEachRegion()
    {
        _h.UseIrsa();
        _h.Aws.FailRegion(Primary);
        _h.Aws.FailRegion(Secondary);

        var e = await _h.MountFailsAsync(_h.Request("- {objectName: s, objectType: secretsmanager}", new Dictionary<string, string> { ["failoverRegion"] = Secondary }));

        Assert.Equal(StatusCode.Unavailable, e.StatusCode);
        Assert.Contains("Failed to fetch secret from all regions", e.Status.Detail, StringComparison.Ordinal);
        Assert.Contains(Primary + ": Failed fetching secret s", e.Status.Detail, StringComparison.Ordinal);
        Assert.Contains(Secondary + ": Failed fetching secret s", e.Status.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Rotation_UnchangedSecret_IsDescribedNotFetched_ChangedSecretIsFetched()
    {
        _h.UseIrsa();
        var region = _h.Aws.Region(Primary);
        var v1 = region.PutSecretString("s", """{"k":"one"}""");
        const string objects = "- {objectName: s, objectType: secretsmanager, jmesPath: [{path: k, objectAlias: k}]}";
        var first = await _h.MountAsync(_h.Request(objects));
        _h.WriteFiles(first);
        Assert.Equal(1, _h.Aws.CountRequests("GetSecretValue"));

        var second = await _h.MountAsync(_h.Request(objects, current: first.ObjectVersion));

        Assert.Equal(1, _h.Aws.CountRequests("DescribeSecret"));
        Assert.Equal(1, _h.Aws.CountRequests("GetSecretValue"));
        Assert.Equal(["""{"k":"one"}""", "one"], second.Files.Select(Text));
        Assert.All(second.ObjectVersion, v => Assert.Equal(v1, v.Version));

        var v2 = region.PutSecretString("s", """{"k":"two"}""");
        var third = await _h.MountAsync(_h.Request(objects, current: second.ObjectVersion));

        Assert.Equal(2, _h.Aws.CountRequests("DescribeSecret"));
        Assert.Equal(2, _h.Aws.CountRequests("GetSecretValue"));
        Assert.Equal("two", Text(third.Files[1]));
        Assert.All(third.ObjectVersion, v => Assert.Equal(v2, v.Version));
    }

    [Fact]
    public async Task Rotation_PinnedVersion_IsReReadWithoutAnyCall()
    {
        _h.UseIrsa();
        var v1 = _h.Aws.Region(Primary).PutSecretString("s", "pinned");
        var objects = $"- {{objectName: s, objectType: secretsmanager, objectVersion: \"{v1}\"}}";
        var first = await _h.MountAsync(_h.Request(objects));
        _h.WriteFiles(first);

        var second = await _h.MountAsync(_h.Request(objects, current: first.ObjectVersion));

        Assert.Equal("pinned", Text(Assert.Single(second.Files)));
        Assert.Equal(1, _h.Aws.CountRequests("GetSecretValue"));
        Assert.Equal(0, _h.Aws.CountRequests("DescribeSecret"));
    }

    [Fact]
    public async Task Ssm_TwelveParameters_AreTwoBatches_AndInvalidOnesAreNamed()
    {
        _h.UseIrsa();
        var region = _h.Aws.Region(Primary);
        for (var i = 0; i < 12; i++)
        {
            region.PutParameter($"/p/{i}", $"value-{i}");
        }
        var objects = string.Concat(Enumerable.Range(0, 12).Select(i => $"- {{objectName: /p/{i}, objectType: ssmparameter}}\n"));

        var response = await _h.MountAsync(_h.Request(objects));

        Assert.Equal(Enumerable.Range(0, 12).Select(i => $"value-{i}"), response.Files.Select(Text));
        Assert.Equal(2, _h.Aws.CountRequests("GetParameters"));

        var e = await _h.MountFailsAsync(_h.Request("- {objectName: /p/0, objectType: ssmparameter}\n- {objectName: /missing, objectType: ssmparameter}\n- {objectName: /p/1, objectType: ssmparameter, objectVersion: \"9\"}"));
        Assert.Equal(StatusCode.NotFound, e.StatusCode);
        Assert.Contains("objects[1] (objectName \"/missing\"), objects[2] (objectName \"/p/1\")", e.Status.Detail, StringComparison.Ordinal);
        Assert.Contains("invalid parameters: /missing, /p/1:9", e.Status.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Throttling_IsRetried()
    {
        _h.UseIrsa();
        _h.Aws.Region(Primary).PutSecretString("s", "v");
        _h.Aws.Region(Primary).PutParameter("p", "w");
        _h.Aws.ThrottleNextRequests(2, Primary);

        var response = await _h.MountAsync(_h.Request("- {objectName: s, objectType: secretsmanager}\n- {objectName: p, objectType: ssmparameter}"));

        Assert.Equal(["v", "w"], response.Files.Select(Text));
        Assert.Equal(2, _h.Aws.Requests.Count(r => r.ErrorType == "ThrottlingException"));
    }

    [Fact]
    public async Task MissingSecret_IsNotFound_NamingObjectRegionAndFix()
    {
        _h.UseIrsa();

        var e = await _h.MountFailsAsync(_h.Request("- {objectName: nope, objectType: secretsmanager}"));

        Assert.Equal(StatusCode.NotFound, e.StatusCode);
        Assert.Contains("objects[0] (objectName \"nope\"): us-east-1: Failed fetching secret nope: ResourceNotFoundException", e.Status.Detail, StringComparison.Ordinal);
        Assert.Contains("check objectName", e.Status.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task NotAllowed_IsPermissionDenied()
    {
        _h.Kubernetes.Seed(new k8s.Models.V1ServiceAccount
        {
            Metadata = new k8s.Models.V1ObjectMeta { Name = ServiceAccount, NamespaceProperty = Namespace, Annotations = new Dictionary<string, string> { ["eks.amazonaws.com/role-arn"] = _h.RoleArn } },
        });
        _h.Aws.AddWebIdentityRole(_h.RoleArn, Namespace, ServiceAccount);
        _h.Aws.Allow(_h.RoleArn, "public/");
        _h.Aws.Region(Primary).PutSecretString("private/x", "v");

        var e = await _h.MountFailsAsync(_h.Request("- {objectName: private/x, objectType: secretsmanager}"));

        Assert.Equal(StatusCode.PermissionDenied, e.StatusCode);
        Assert.Contains("AccessDeniedException", e.Status.Detail, StringComparison.Ordinal);
        Assert.Contains("secretsmanager:GetSecretValue", e.Status.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ExpiredToken_IsUnauthenticated_InBothModes()
    {
        _h.UseIrsa();
        _h.UsePodIdentity();
        var issued = DateTimeOffset.UtcNow.AddHours(-2);
        string Expired(string audience) => _h.Aws.TokenIssuer.Mint(new ServiceAccountTokenRequest
        {
            Namespace = Namespace,
            ServiceAccountName = ServiceAccount,
            Audiences = [audience],
            IssuedAt = issued,
            Lifetime = TimeSpan.FromHours(1),
        });
        var tokens = new Dictionary<string, string> { [AwsSandbox.StsAudience] = Expired(AwsSandbox.StsAudience), [AwsSandbox.PodIdentityAudience] = Expired(AwsSandbox.PodIdentityAudience) };

        var irsa = await _h.MountFailsAsync(_h.Request("- {objectName: s, objectType: secretsmanager}", tokens: tokens));
        var podIdentity = await _h.MountFailsAsync(_h.Request("- {objectName: s, objectType: secretsmanager}", new Dictionary<string, string> { ["usePodIdentity"] = "true" }, tokens));

        Assert.Equal(StatusCode.Unauthenticated, irsa.StatusCode);
        Assert.Contains("IRSA: AssumeRoleWithWebIdentity for role " + _h.RoleArn + " failed", irsa.Status.Detail, StringComparison.Ordinal);
        Assert.Equal(StatusCode.Unauthenticated, podIdentity.StatusCode);
        Assert.Contains("Pod Identity: failed to get credentials from the agent", podIdentity.Status.Detail, StringComparison.Ordinal);
        foreach (var token in tokens.Values)
        {
            Assert.DoesNotContain(token, irsa.Status.Detail + podIdentity.Status.Detail, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task WrongSignature_IsRefusedByTheService()
    {
        var issued = _h.Aws.IssueCredentials(_h.RoleArn);
        _h.Aws.Allow(_h.RoleArn, string.Empty);
        _h.Aws.Region(Primary).PutSecretString("s", "v");
        using var http = new HttpClient();
        var client = new SecretsManager.SecretsManagerClient(http, _h.Aws.Endpoint, Primary,
            new Amazon.Runtime.ImmutableCredentials(issued.AccessKeyId, "not-the-secret-key", issued.SessionToken), new SecretsManager.AwsRetryPolicy(TimeSpan.FromMilliseconds(1)), "test", TimeProvider.System);

        var e = await Assert.ThrowsAsync<Amazon.Runtime.AmazonServiceException>(() => client.GetSecretValueAsync(new SecretsManager.GetSecretValueRequest { SecretId = "s" }, CancellationToken.None));

        Assert.Equal("InvalidSignatureException", e.ErrorCode);
        Assert.Equal(ProviderErrorKind.Unauthenticated, AwsErrors.StatusFor(e));

        var good = new SecretsManager.SecretsManagerClient(http, _h.Aws.Endpoint, Primary,
            new Amazon.Runtime.ImmutableCredentials(issued.AccessKeyId, issued.SecretAccessKey, issued.SessionToken), new SecretsManager.AwsRetryPolicy(), "test", TimeProvider.System);
        Assert.Equal("v", Encoding.UTF8.GetString((await good.GetSecretValueAsync(new SecretsManager.GetSecretValueRequest { SecretId = "s" }, CancellationToken.None)).Value()));
    }

    [Fact]
    public async Task NoTokenMap_SaysToConfigureTokenRequests()
    {
        var e = await _h.MountFailsAsync(_h.Request("- {objectName: s, objectType: secretsmanager}", tokens: new Dictionary<string, string>()));

        Assert.Equal(StatusCode.FailedPrecondition, e.StatusCode);
        Assert.Contains("ensure tokenRequests is configured in CSIDriver", e.Status.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ServiceAccountWithoutRole_SaysToAnnotateIt()
    {
        _h.Kubernetes.Seed(new k8s.Models.V1ServiceAccount { Metadata = new k8s.Models.V1ObjectMeta { Name = ServiceAccount, NamespaceProperty = Namespace } });

        var e = await _h.MountFailsAsync(_h.Request("- {objectName: s, objectType: secretsmanager}"));

        Assert.Equal(StatusCode.FailedPrecondition, e.StatusCode);
        Assert.Contains("An IAM role must be associated with service account web (namespace: apps)", e.Status.Detail, StringComparison.Ordinal);
        Assert.Contains("eks.amazonaws.com/role-arn", e.Status.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task BadParameters_AreInvalidArgument_BeforeAnyNetworkCall()
    {
        var cases = new (Dictionary<string, string> Parameters, string Objects, string Expected)[]
        {
            (new() { ["usePodIdentity"] = "maybe" }, "- {objectName: s, objectType: secretsmanager}", "failed to parse usePodIdentity value"),
            (new() { ["pathTranslation"] = "ab" }, "- {objectName: s, objectType: secretsmanager}", "pathTranslation must be either 'False' or a single character string"),
            (new() { ["failoverRegion"] = Primary }, "- {objectName: s, objectType: secretsmanager}", "us-east-1: failover region cannot be the same as the primary region"),
            (new(), "- {objectName: s}", "Must use objectType when a full ARN is not specified: s"),
        };
        foreach (var (parameters, objects, expected) in cases)
        {
            var e = await _h.MountFailsAsync(_h.Request(objects, parameters));
            Assert.Equal(StatusCode.InvalidArgument, e.StatusCode);
            Assert.Contains(expected, e.Status.Detail, StringComparison.Ordinal);
        }
        Assert.Empty(_h.Aws.Requests);
    }

    [Fact]
    public async Task SecretsTokensAndKeys_NeverReachLogsOrErrors()
    {
        _h.UseIrsa();
        _h.UsePodIdentity("pi");
        const string value = "super-secret-value-1234";
        _h.Aws.Region(Primary).PutSecretString("s", $$"""{"k":"{{value}}"}""");
        _h.Aws.Region(Primary).PutParameter("p", value, "SecureString");
        var irsaTokens = new Dictionary<string, string> { [AwsSandbox.StsAudience] = _h.Token(AwsSandbox.StsAudience) };
        var podTokens = new Dictionary<string, string> { [AwsSandbox.PodIdentityAudience] = _h.Token(AwsSandbox.PodIdentityAudience, "pi") };
        const string objects = "- {objectName: s, objectType: secretsmanager, jmesPath: [{path: k, objectAlias: k}]}\n- {objectName: p, objectType: ssmparameter}";

        await _h.MountAsync(_h.Request(objects, tokens: irsaTokens));
        await _h.MountAsync(_h.Request(objects, new Dictionary<string, string> { ["usePodIdentity"] = "true" }, podTokens, serviceAccount: "pi"));
        var failed = await _h.MountFailsAsync(_h.Request("- {objectName: s, objectType: secretsmanager, jmesPath: [{path: k.x, objectAlias: k}]}", tokens: irsaTokens));

        var everything = _h.Logs.All + failed.Status.Detail;
        Assert.Contains("AwsMount", _h.Logs.All, StringComparison.Ordinal);
        Assert.DoesNotContain(value, everything, StringComparison.Ordinal);
        foreach (var token in irsaTokens.Values.Concat(podTokens.Values))
        {
            Assert.DoesNotContain(token, everything, StringComparison.Ordinal);
            Assert.DoesNotContain(token[^20..], everything, StringComparison.Ordinal);
        }
        Assert.DoesNotContain("SecretAccessKey", everything, StringComparison.Ordinal);
    }
}
