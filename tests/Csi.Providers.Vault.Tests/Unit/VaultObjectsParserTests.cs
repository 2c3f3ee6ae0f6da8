using System.Text;
using Csi.ProviderHost;

namespace Csi.Providers.Vault.Tests.Unit;

public class VaultObjectsParserTests
{
    private static ProviderException Fails(string? yaml)
    {
        var error = Assert.Throws<ProviderException>(() => VaultObjectsParser.Parse(yaml));
        Assert.Equal(ProviderErrorKind.InvalidArgument, error.Kind);
        Assert.Equal("InvalidParameter", error.ErrorCode);
        return error;
    }

    [Fact]
    public void Parse_ReadsEveryField()
    {
        var objects = VaultObjectsParser.Parse("""
            - objectName: db/password
              secretPath: secret/data/app/db
              secretKey: password
              method: put
              encoding: Base64
              filePermission: 0600
              secretArgs:
                common_name: web.example.com
                ttl: 24h
            """);

        var o = Assert.Single(objects);
        Assert.Equal(("db/password", "secret/data/app/db", "password", "put", "Base64", 384), (o.ObjectName, o.SecretPath, o.SecretKey, o.Method, o.Encoding, o.FilePermission));
        Assert.Equal("""{"common_name":"web.example.com","ttl":"24h"}""", Encoding.UTF8.GetString(o.SecretArgs!));
        Assert.Equal(("PUT", "/v1/secret/data/app/db", ""), (o.Request.Method, o.Request.Path, o.Request.Query));
        Assert.Equal(o.SecretArgs, o.Request.Body);
    }

    [Fact]
    public void Parse_AppliesUpstreamDefaults()
    {
        var o = Assert.Single(VaultObjectsParser.Parse("- objectName: a\n  secretPath: v1/kv/app\n"));

        Assert.Null(o.SecretKey);
        Assert.Null(o.FilePermission);
        Assert.Null(o.SecretArgs);
        Assert.Equal(("GET", "/v1/kv/app", ""), (o.Request.Method, o.Request.Path, o.Encoding));
        Assert.Null(o.Request.Body);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("  ")]
    [InlineData("[]")]
    [InlineData("~")]
    public void Parse_NoObjects_IsUpstreamsError(string? yaml)
        => Assert.Contains("no secrets configured - the provider will not read any secret material", Fails(yaml).Message, StringComparison.Ordinal);

    [Fact]
    public void Parse_ArrayWrapper_SaysTheListTakesNoWrapper()
    {
        var error = Fails("array:\n  - |\n    objectName: a\n");
        Assert.Contains("objects: must be a YAML list", error.Message, StringComparison.Ordinal);
        Assert.Contains("without the \"array:\" wrapper", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("- objectName: \"unterminated\n  secretPath: b", @"^objects: not valid YAML at line 1, column \d+ \(.+\); it must be a YAML list")]
    [InlineData("- objectName: a\n secretPath: b", @"^objects: not valid YAML at line 2, column \d+ \(.+\); it must be a YAML list")]
    [InlineData("- objectName: [a\n  secretPath: b", @"^objects: not valid YAML")]
    public void Parse_InvalidYaml_NamesTheParameterAndPosition(string yaml, string pattern)
        => Assert.Matches(pattern, Fails(yaml).Message);

    [Fact]
    public void Parse_DuplicateYamlKey_IsAnError()
        => Assert.StartsWith("objects: not valid YAML", Fails("- objectName: a\n  objectName: b\n  secretPath: p").Message, StringComparison.Ordinal);

    [Theory]
    [InlineData("- just-a-string", "objects[0]: must be a mapping")]
    [InlineData("- secretPath: p", "objects[0]: objectName is missing")]
    [InlineData("- objectName: a\n  secretKey: k", "object \"a\": secretPath is missing")]
    [InlineData("- objectName: [a]\n  secretPath: p", "objects[0]: objectName must be a single value")]
    [InlineData("- objectName: ../etc/passwd\n  secretPath: p", "object \"../etc/passwd\": objectName is the file name in the volume and path must not start with '..'")]
    [InlineData("- objectName: /abs\n  secretPath: p", "object \"/abs\": objectName is the file name in the volume and path must be relative")]
    [InlineData("- objectName: a\n  secretPath: p\n  encoding: utf16", "object \"a\": encoding \"utf16\": invalid encoding type. Should be utf-8, base64, or hex")]
    [InlineData("- objectName: a\n  secretPath: p\n  filePermission: \"0644\"", "object \"a\": filePermission must be an integer file mode")]
    [InlineData("- objectName: a\n  secretPath: p\n  filePermission: rw", "object \"a\": filePermission \"rw\" is not an integer")]
    [InlineData("- objectName: a\n  secretPath: p\n  filePermission: 01000", "object \"a\": filePermission 01000 is outside 0 to 0777")]
    [InlineData("- objectName: a\n  secretPath: p\n  filePermission: -1", "object \"a\": filePermission -1 is outside 0 to 0777")]
    [InlineData("- objectName: a\n  secretPath: p\n  secretArgs: [1]", "object \"a\": secretArgs must be a mapping")]
    [InlineData("- objectName: a\n  secretPath: p\n  secretArgs:\n    ttl: .inf", "object \"a\": secretArgs.ttl: .inf cannot be sent as JSON")]
    [InlineData("- objectName: a\n  secretPath: p\n  method: \"GE T\"", "object \"a\": method \"GE T\" is not an HTTP method")]
    [InlineData("- objectName: a\n  secretPath: p?x=%zz", "object \"a\": failed to parse query parameters from secretPath \"p?x=%zz\"")]
    [InlineData("- objectName: a\n  secretPath: p?a=1;b=2", "object \"a\": failed to parse query parameters from secretPath \"p?a=1;b=2\": invalid semicolon separator in query")]
    public void Parse_BadObject_NamesTheObjectAndTheField(string yaml, string expected)
        => Assert.StartsWith(expected, Fails(yaml).Message, StringComparison.Ordinal);

    [Fact]
    public void Parse_DuplicateObjectNames_IsUpstreamsErrorListingThem()
    {
        var error = Fails("- {objectName: a, secretPath: p}\n- {objectName: b, secretPath: p}\n- {objectName: a, secretPath: q}\n- {objectName: b, secretPath: q}");
        Assert.StartsWith("each `objectName` within a SecretProviderClass must be unique, but the following keys were duplicated: a, b", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("0644", 420)]
    [InlineData("0o640", 416)]
    [InlineData("420", 420)]
    [InlineData("0x1a4", 420)]
    [InlineData("0_644", 420)]
    [InlineData("0400", 256)]
    public void Parse_FilePermission_ReadsYamlIntegersAsGo(string value, int mode)
        => Assert.Equal(mode, Assert.Single(VaultObjectsParser.Parse($"- objectName: a\n  secretPath: p\n  filePermission: {value}")).FilePermission);

    [Fact]
    public void Parse_FilePermissionZero_TakesTheDefault()
        => Assert.Null(Assert.Single(VaultObjectsParser.Parse("- objectName: a\n  secretPath: p\n  filePermission: 0")).FilePermission);

    [Fact]
    public void Parse_SecretArgs_ResolveScalarsAsYamlV3()
    {
        var o = Assert.Single(VaultObjectsParser.Parse("""
            - objectName: a
              secretPath: pki/issue/web
              method: POST
              secretArgs:
                int: 3600
                octal: 0755
                hex: 0x10
                negative: -5
                float: 1.5
                bool: true
                null: ~
                string: hello
                quoted: "3600"
                single: 'true'
                version: 1.2.3
                nested: {list: [a, 2, false], empty: {}}
                literal: |
                  line
                last: x
            """));

        Assert.Equal(
            """{"int":3600,"octal":493,"hex":16,"negative":-5,"float":1.5,"bool":true,"null":null,"string":"hello","quoted":"3600","single":"true","version":"1.2.3","nested":{"list":["a",2,false],"empty":{}},"literal":"line\n","last":"x"}""",
            Encoding.UTF8.GetString(o.SecretArgs!));
    }

    [Fact]
    public void Parse_EmptySecretArgsMapping_SendsAnEmptyObject()
        => Assert.Equal("{}", Encoding.UTF8.GetString(Assert.Single(VaultObjectsParser.Parse("- objectName: a\n  secretPath: p\n  secretArgs: {}")).SecretArgs!));

    [Fact]
    public void Parse_NumericAndNullScalars_ReadAsTextLikeYamlV3()
    {
        var o = Assert.Single(VaultObjectsParser.Parse("- objectName: 123\n  secretPath: p\n  secretKey: 42\n  method: ~"));
        Assert.Equal(("123", "42", "GET"), (o.ObjectName, o.SecretKey, o.Request.Method));
    }

    [Fact]
    public void Parse_UnknownKeys_AreReportedAndIgnored()
    {
        var ignored = new List<string>();
        var o = Assert.Single(VaultObjectsParser.Parse("- objectName: a\n  secretPath: p\n  objectVersion: 2\n  secretkey: typo", (where, key) => ignored.Add($"{where}:{key}")));

        Assert.Null(o.SecretKey);
        Assert.Equal(["objects[0]:objectVersion", "objects[0]:secretkey"], ignored);
    }

    [Fact]
    public void Parse_QueryParameters_AreKeptSortedAndEscapedAsGo()
    {
        var o = Assert.Single(VaultObjectsParser.Parse("- objectName: a\n  secretPath: secret/data/app?version=2&b=x+y&a=%2F"));
        Assert.Equal(("/v1/secret/data/app", "a=%2F&b=x+y&version=2"), (o.Request.Path, o.Request.Query));
        Assert.Equal("/v1/secret/data/app?a=%2F&b=x+y&version=2", o.Request.PathAndQuery);
    }
}
