using Amazon.SimpleSystemsManagement;
using Amazon.SimpleSystemsManagement.Model;

namespace Csi.Sandboxes.Aws.Tests;

public sealed class SsmTests : SandboxTestBase
{
    [Fact]
    public async Task GetParameters_ReturnsLatestWithVersionArnTypeAndDataType()
    {
        var region = Sandbox.Region(Primary);
        region.PutParameter("/app/url", "one");
        region.PutParameter("/app/url", "two");

        var response = await Ssm().GetParametersAsync(new GetParametersRequest { Names = ["/app/url"], WithDecryption = true });

        var p = Assert.Single(response.Parameters);
        Assert.Equal(("/app/url", "two", 2L), (p.Name, p.Value, p.Version));
        Assert.Equal(ParameterType.String, p.Type);
        Assert.Equal("arn:aws:ssm:us-east-1:111122223333:parameter/app/url", p.ARN);
        Assert.Equal("text", p.DataType);
        Assert.Null(p.Selector);
        Assert.NotNull(p.LastModifiedDate);
        Assert.True(response.InvalidParameters is null || response.InvalidParameters.Count == 0);
    }

    [Fact]
    public async Task GetParameters_VersionAndLabelSelectors_ReturnThoseVersions()
    {
        var region = Sandbox.Region(Primary);
        region.PutParameter("/p", "one");
        region.PutParameter("/p", "two");
        region.PutParameter("/p", "three");
        region.LabelParameterVersion("/p", 2, "stable");

        var response = await Ssm().GetParametersAsync(new GetParametersRequest { Names = ["/p:1", "/p:stable", "/p"] });

        var byKey = response.Parameters.ToDictionary(p => p.Selector ?? "");
        Assert.Equal(("one", 1L), (byKey[":1"].Value, byKey[":1"].Version));
        Assert.Equal(("two", 2L), (byKey[":stable"].Value, byKey[":stable"].Version));
        Assert.Equal(("three", 3L), (byKey[""].Value, byKey[""].Version));
    }

    [Fact]
    public async Task LabelParameterVersion_MovesLabelBetweenVersions()
    {
        var region = Sandbox.Region(Primary);
        region.PutParameter("/p", "one");
        region.PutParameter("/p", "two");
        region.LabelParameterVersion("/p", 1, "live");
        var client = Ssm();

        var before = await client.GetParametersAsync(new GetParametersRequest { Names = ["/p:live"] });
        region.LabelParameterVersion("/p", 2, "live");
        var after = await client.GetParametersAsync(new GetParametersRequest { Names = ["/p:live"] });

        Assert.Equal("one", before.Parameters[0].Value);
        Assert.Equal("two", after.Parameters[0].Value);
    }

    [Fact]
    public async Task UnknownNamesVersionsAndLabels_AreInvalidParameters_NotAnError()
    {
        Sandbox.Region(Primary).PutParameter("/p", "v");

        var response = await Ssm().GetParametersAsync(new GetParametersRequest { Names = ["/p", "/absent", "/p:9", "/p:nolabel"] });

        Assert.Single(response.Parameters);
        Assert.Equal(["/absent", "/p:9", "/p:nolabel"], response.InvalidParameters.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task MoreThanTenNames_IsValidationException()
    {
        var e = await Assert.ThrowsAsync<AmazonSimpleSystemsManagementException>(() =>
            Ssm().GetParametersAsync(new GetParametersRequest { Names = Enumerable.Range(0, 11).Select(i => $"/p{i}").ToList() }));

        Assert.Equal("ValidationException", e.ErrorCode);
        Assert.Equal(System.Net.HttpStatusCode.BadRequest, e.StatusCode);
    }

    [Fact]
    public async Task SecureString_IsDecryptedOnlyWithDecryption()
    {
        Sandbox.Region(Primary).PutParameter("/secret", "hunter2", "SecureString");
        var client = Ssm();

        var plain = await client.GetParametersAsync(new GetParametersRequest { Names = ["/secret"], WithDecryption = true });
        var encrypted = await client.GetParametersAsync(new GetParametersRequest { Names = ["/secret"], WithDecryption = false });

        Assert.Equal("hunter2", plain.Parameters[0].Value);
        Assert.Equal(ParameterType.SecureString, plain.Parameters[0].Type);
        Assert.NotEqual("hunter2", encrypted.Parameters[0].Value);
        Assert.StartsWith("AQICAH", encrypted.Parameters[0].Value);
    }

    [Fact]
    public async Task StringList_IsReturnedAsCommaSeparatedValue()
    {
        Sandbox.Region(Primary).PutParameter("/list", "a,b,c", "StringList");

        var response = await Ssm().GetParametersAsync(new GetParametersRequest { Names = ["/list"] });

        Assert.Equal(ParameterType.StringList, response.Parameters[0].Type);
        Assert.Equal("a,b,c", response.Parameters[0].Value);
    }

    [Fact]
    public async Task NamesMayBeArns_AndPlainNamesGetArnsWithoutDoubleSlash()
    {
        var region = Sandbox.Region(Primary);
        region.PutParameter("plain", "v");
        region.PutParameter("/a/b", "w");

        var response = await Ssm().GetParametersAsync(new GetParametersRequest { Names = [region.ParameterArn("plain"), region.ParameterArn("/a/b")] });

        Assert.Equal(2, response.Parameters.Count);
        Assert.Equal("arn:aws:ssm:us-east-1:111122223333:parameter/plain", region.ParameterArn("plain"));
        Assert.Contains(response.Parameters, p => p.Name == "/a/b" && p.Value == "w");
    }

    [Fact]
    public async Task OneDeniedName_DeniesTheWholeCall()
    {
        var region = Sandbox.Region(Primary);
        region.PutParameter("/team-b/x", "v");
        region.PutParameter("/team-a/y", "v");
        Sandbox.Allow(OtherRole, "/team-b/");

        var e = await Assert.ThrowsAsync<AmazonSimpleSystemsManagementException>(() =>
            Ssm(Credentials(OtherRole)).GetParametersAsync(new GetParametersRequest { Names = ["/team-b/x", "/team-a/y"] }));

        Assert.Equal("AccessDeniedException", e.ErrorCode);
        Assert.Contains("is not authorized to perform: ssm:GetParameters on resource: arn:aws:ssm:us-east-1:111122223333:parameter/team-a/y", e.Message);
    }

    [Fact]
    public async Task GetParameter_MissingIsParameterNotFound()
    {
        Sandbox.Region(Primary).PutParameter("/p", "v");
        var client = Ssm();

        var ok = await client.GetParameterAsync(new GetParameterRequest { Name = "/p:1" });
        var e = await Assert.ThrowsAsync<ParameterNotFoundException>(() => client.GetParameterAsync(new GetParameterRequest { Name = "/absent" }));
        var v = await Assert.ThrowsAsync<ParameterVersionNotFoundException>(() => client.GetParameterAsync(new GetParameterRequest { Name = "/p:7" }));

        Assert.Equal("v", ok.Parameter.Value);
        Assert.Equal(System.Net.HttpStatusCode.BadRequest, e.StatusCode);
        Assert.Equal("ParameterVersionNotFound", v.ErrorCode);
    }

    [Fact]
    public void Setup_RejectsWhatSsmRejects()
    {
        var region = Sandbox.Region(Primary);

        Assert.Throws<ArgumentException>(() => region.PutParameter("a/b", "v"));
        Assert.Throws<ArgumentException>(() => region.PutParameter("/awsthing", "v"));
        Assert.Throws<ArgumentException>(() => region.PutParameter("/p", "v", "Number"));
        region.PutParameter("/p", "v");
        Assert.Throws<ArgumentException>(() => region.LabelParameterVersion("/p", 1, "123"));
        Assert.Throws<ArgumentException>(() => region.LabelParameterVersion("/p", 1, "ssm-label"));
        Assert.Throws<KeyNotFoundException>(() => region.LabelParameterVersion("/p", 2, "x"));
    }
}
