using System.Text;

namespace Csi.Providers.Aws.Tests.Unit;

public sealed class JmesPathExtractorTests
{
    private static JmesPathEntry Entry(string path, string alias = "out") => new(path, alias, string.Empty);

    private static byte[] Json(string text) => Encoding.UTF8.GetBytes(text);

    [Fact]
    public void Strings_AreExtracted_NestedAndQuoted()
    {
        var values = JmesPathExtractor.Extract(
            Json("""{"username":"app","db":{"password":"p@ss"},"with-dash":"d","when":"2024-01-02T03:04:05Z"}"""),
            [Entry("username"), Entry("db.password"), Entry("\"with-dash\""), Entry("when")],
            "s");
        Assert.Equal(["app", "p@ss", "d", "2024-01-02T03:04:05Z"], values.Select(v => Encoding.UTF8.GetString(v)));
    }

    [Fact]
    public void NoEntries_NeedNoJson()
    {
        Assert.Empty(JmesPathExtractor.Extract(Json("not json"), [], "s"));
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("{'single':'quotes'}")]
    [InlineData("{\"a\":1,}")]
    [InlineData("")]
    public void NonJson_IsUpstreamsError(string value)
    {
        var e = Assert.Throws<JmesPathException>(() => JmesPathExtractor.Extract(Json(value), [Entry("a")], "MySecret"));
        Assert.Equal("Invalid JSON used with jmesPath in secret: MySecret.", e.Message);
    }

    [Fact]
    public void MissingKey_DoesNotPointToAValidObject()
    {
        var e = Assert.Throws<JmesPathException>(() => JmesPathExtractor.Extract(Json("{\"a\":\"x\"}"), [Entry("b", "bee")], "s"));
        Assert.Equal("JMES Path - b for object alias - bee does not point to a valid object.", e.Message);
    }

    [Theory]
    [InlineData("n")]
    [InlineData("o")]
    [InlineData("l")]
    [InlineData("t")]
    public void NonStringResults_AreRefused(string path)
    {
        var e = Assert.Throws<JmesPathException>(() => JmesPathExtractor.Extract(Json("{\"n\":1,\"o\":{},\"l\":[\"x\"],\"t\":true}"), [Entry(path)], "s"));
        Assert.Equal($"Invalid JMES search result type for path:{path}. Only string is allowed.", e.Message);
    }

    [Theory]
    [InlineData("a.[")]
    [InlineData("&&")]
    public void BadExpressions_AreInvalidJmesPath(string path)
    {
        var e = Assert.Throws<JmesPathException>(() => JmesPathExtractor.Extract(Json("{\"a\":\"x\"}"), [Entry(path)], "s"));
        Assert.Equal($"Invalid JMES Path: {path}.", e.Message);
        Assert.Equal($"Invalid JMES Path: {path}.", JmesPathExtractor.CheckExpression(path));
        Assert.Null(JmesPathExtractor.CheckExpression("a.b"));
    }

    [Fact]
    public void Errors_NeverCarryTheValue()
    {
        const string secret = "s3cr3t-value-never-shown";
        foreach (var path in new[] { "a", "missing", "&&" })
        {
            var e = Assert.Throws<JmesPathException>(() => JmesPathExtractor.Extract(Json($"{{\"a\":{{\"k\":\"{secret}\"}}}}"), [Entry(path)], "s"));
            Assert.DoesNotContain(secret, e.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void ObjectFiles_AreTheObjectThenOnePerEntry_WithModesAndTheObjectsVersion()
    {
        var descriptor = Assert.Single(Descriptors.Parse("- objectName: s\n  objectType: secretsmanager\n  filePermission: \"0640\"\n  jmesPath:\n    - {path: u, objectAlias: user}\n    - {path: p, objectAlias: pass, filePermission: \"0400\"}"));
        var files = ObjectFiles.Build(descriptor, Json("{\"u\":\"me\",\"p\":\"pw\"}"), "v7", 420);
        Assert.Equal([("s", 416, "v7"), ("user", 416, "v7"), ("pass", 256, "v7")], files.Select(f => (f.File.Path, f.File.Mode, f.Version.Version)));
        Assert.Equal(["s", "user", "pass"], files.Select(f => f.Version.Id));
        Assert.Equal("me", Encoding.UTF8.GetString(files[1].File.Contents.Span));
    }
}
