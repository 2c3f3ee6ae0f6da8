using SecretsStore.Provider.V1Alpha1;

namespace Csi.ProviderHost.Tests;

public class MountRequestParserTests
{
    private const string Tokens = "{\"vault\":{\"token\":\"jwt-1\",\"expirationTimestamp\":\"2030-01-02T03:04:05Z\"},\"sts.amazonaws.com\":{\"token\":\"jwt-2\"}}";

    [Fact]
    public void Parse_ReadsParametersPodTokensModeAndVersions()
    {
        var request = new MountRequest
        {
            Attributes = "{\"roleName\":\"db\",\"csi.storage.k8s.io/pod.name\":\"web\",\"csi.storage.k8s.io/pod.namespace\":\"apps\",\"csi.storage.k8s.io/pod.uid\":\"u1\",\"csi.storage.k8s.io/serviceAccount.name\":\"sa\",\"csi.storage.k8s.io/serviceAccount.tokens\":" + Quote(Tokens) + "}",
            Secrets = "{\"clientid\":\"id\"}",
            Permission = "256",
            TargetPath = "/t",
        };
        request.CurrentObjectVersion.Add(new ObjectVersion { Id = "secret/a", Version = "3" });

        var context = MountRequestParser.Parse(request);

        Assert.Equal("db", context.Parameter("roleName"));
        Assert.Null(context.Parameter("missing"));
        Assert.Equal(new PodInfo("web", "apps", "u1", "sa"), context.Pod);
        Assert.Equal("id", context.Secrets["clientid"]);
        Assert.Equal(256, context.DefaultFileMode);
        Assert.Equal("3", context.CurrentObjectVersions["secret/a"]);
        Assert.Equal("jwt-1", context.RequireToken("vault").Token);
        Assert.Equal(new DateTimeOffset(2030, 1, 2, 3, 4, 5, TimeSpan.Zero), context.Tokens["vault"].ExpiresAt);
        Assert.Null(context.Tokens["sts.amazonaws.com"].ExpiresAt);
    }

    [Fact]
    public void Parse_TokensMayComeInSecrets()
    {
        var context = MountRequestParser.Parse(new MountRequest { Attributes = "{}", Secrets = "{\"csi.storage.k8s.io/serviceAccount.tokens\":" + Quote(Tokens) + "}" });
        Assert.Equal("jwt-2", context.RequireToken("sts.amazonaws.com").Token);
    }

    [Fact]
    public void Parse_EmptyPermission_Means0644()
        => Assert.Equal(420, MountRequestParser.Parse(new MountRequest()).DefaultFileMode);

    [Theory]
    [InlineData("[1]", "{}", "420", "attributes: must be a JSON object of strings")]
    [InlineData("{\"a\":1}", "{}", "420", "attributes.a: must be a string")]
    [InlineData("{bad", "{}", "420", "attributes: not valid JSON")]
    [InlineData("{}", "{\"s\":true}", "420", "secrets.s: must be a string")]
    [InlineData("{}", "{}", "0644", "permission: \"0644\" is not a file mode in decimal")]
    [InlineData("{}", "{}", "999", "permission: \"999\" is not a file mode in decimal")]
    public void Parse_Malformed_NamesTheField(string attributes, string secrets, string permission, string expected)
    {
        var error = Assert.Throws<ProviderException>(() => MountRequestParser.Parse(new MountRequest { Attributes = attributes, Secrets = secrets, Permission = permission }));
        Assert.Equal(ProviderErrorKind.InvalidArgument, error.Kind);
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("{\"vault\":{\"token\":\"SECRET-JWT\",\"expirationTimestamp\":\"yesterday\"}}", "audience \"vault\" has an expirationTimestamp that is not RFC 3339")]
    [InlineData("{\"vault\":{\"nottoken\":\"SECRET-JWT\"}}", "audience \"vault\" has no token")]
    [InlineData("{\"vault\":\"SECRET-JWT\"", "not valid JSON")]
    public void Parse_MalformedTokens_SaysWhat_WithoutEchoingTheToken(string tokens, string expected)
    {
        var error = Assert.Throws<ProviderException>(() => MountRequestParser.Parse(new MountRequest { Attributes = "{\"csi.storage.k8s.io/serviceAccount.tokens\":" + Quote(tokens) + "}" }));
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("SECRET-JWT", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void RequireToken_Missing_SaysHowToConfigureTokenRequests()
    {
        var context = MountRequestParser.Parse(new MountRequest { Attributes = "{\"csi.storage.k8s.io/serviceAccount.tokens\":" + Quote(Tokens) + "}" });
        var error = Assert.Throws<ProviderException>(() => context.RequireToken("api://AzureADTokenExchange"));
        Assert.Equal(ProviderErrorKind.FailedPrecondition, error.Kind);
        Assert.Contains("no service-account token for audience \"api://AzureADTokenExchange\" (kubelet sent: sts.amazonaws.com, vault)", error.Message, StringComparison.Ordinal);
        Assert.Contains("tokenRequests", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("jwt-1", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Token_ToString_HidesTheToken()
        => Assert.DoesNotContain("jwt-1", new ServiceAccountToken("vault", "jwt-1", null).ToString(), StringComparison.Ordinal);

    private static string Quote(string json) => System.Text.Json.JsonSerializer.Serialize(json);
}
