using static Csi.Providers.Azure.Tests.Unit.ParameterFixture;

namespace Csi.Providers.Azure.Tests.Unit;

public sealed class ObjectsTests
{
    private static KeyVaultObject Single(params string[] lines) => Assert.Single(Parse(Parameters(Objects(lines))).Objects);

    private static string ObjectError(params string[] lines) => Error(Parameters(Objects(lines)));

    [Fact]
    public void UpstreamSyntax_ArrayOfStrings_IsParsedTwice()
    {
        const string yaml = """
            array:
              - |
                objectName: secret1
                objectType: secret
                objectVersion: ""
              - |
                objectName: key1
                objectType: key
                objectVersion: 0123456789abcdef0123456789abcdef
              - |
                objectName: cert1
                objectType: cert
            """;

        var objects = Parse(Parameters(yaml)).Objects;

        Assert.Equal(["secret1", "key1", "cert1"], objects.Select(o => o.ObjectName));
        Assert.Equal([KeyVaultObjectType.Secret, KeyVaultObjectType.Key, KeyVaultObjectType.Certificate], objects.Select(o => o.Type));
        Assert.Equal([null, "0123456789abcdef0123456789abcdef", null], objects.Select(o => o.ObjectVersion));
        Assert.Equal(["secret/secret1", "key/key1", "cert/cert1"], objects.Select(o => o.ObjectId));
    }

    [Fact]
    public void Defaults_AreUpstreams()
    {
        var o = Single("objectName: s", "objectType: secret");

        Assert.Equal(("s", "", 0, false, "", (int?)null), (o.FileName, o.ObjectAlias, o.ObjectVersionHistory, o.Pfx, o.Encoding, o.FileMode));
        Assert.True(o.IsSingleVersion);
    }

    [Fact]
    public void Fields_AreTrimmed()
    {
        var o = Single("objectName: \"  s  \"", "objectType: \" secret \"", "objectAlias: \" a.txt \"");

        Assert.Equal(("s", KeyVaultObjectType.Secret, "a.txt"), (o.ObjectName, o.Type, o.FileName));
    }

    [Fact]
    public void ObjectVersion_Latest_MeansCurrent()
    {
        Assert.Null(Single("objectName: s", "objectType: secret", "objectVersion: latest").ObjectVersion);
    }

    [Fact]
    public void ObjectAlias_NamesTheFile()
    {
        Assert.Equal("db/password.txt", Single("objectName: s", "objectType: secret", "objectAlias: db/password.txt").FileName);
    }

    [Fact]
    public void ObjectVersionHistory_IsAnInteger()
    {
        var o = Single("objectName: s", "objectType: secret", "objectVersionHistory: 5");

        Assert.Equal(5, o.ObjectVersionHistory);
        Assert.False(o.IsSingleVersion);
    }

    [Theory]
    [InlineData("objectVersionHistory: \"5\"")]
    [InlineData("objectVersionHistory: many")]
    [InlineData("objectVersionHistory: 99999999999")]
    public void ObjectVersionHistory_NotAnInteger_IsRejected(string line)
    {
        var message = ObjectError("objectName: s", "objectType: secret", line);

        Assert.StartsWith("objects.array[0]: objectVersionHistory", message);
    }

    [Theory]
    [InlineData("pem", false)]
    [InlineData("PEM", false)]
    [InlineData("pfx", true)]
    [InlineData("PFX", true)]
    public void ObjectFormat_PemOrPfx(string format, bool pfx)
    {
        Assert.Equal(pfx, Single("objectName: s", "objectType: secret", $"objectFormat: {format}").Pfx);
    }

    [Fact]
    public void ObjectFormat_Unknown_IsRejectedNamingObjectAndField()
    {
        var message = ObjectError("objectName: s", "objectType: secret", "objectFormat: der");

        Assert.Equal("objects.array[0] (objectName \"s\", objectType \"secret\"): objectFormat: invalid objectFormat: der, should be PEM or PFX", message);
    }

    [Theory]
    [InlineData("key")]
    [InlineData("cert")]
    public void ObjectFormat_PfxOnNonSecret_IsRejected(string type)
    {
        Assert.EndsWith("objectFormat: PFX format only supported for objectType: secret", ObjectError("objectName: s", $"objectType: {type}", "objectFormat: pfx"));
    }

    [Fact]
    public void ObjectFormat_UpperCasePfxOnCert_IsIgnoredAsUpstreamDoes()
    {
        Assert.False(Single("objectName: c", "objectType: cert", "objectFormat: PFX").Pfx);
    }

    [Theory]
    [InlineData("utf-8", "utf-8")]
    [InlineData("Base64", "base64")]
    [InlineData("HEX", "hex")]
    public void ObjectEncoding_IsAcceptedCaseInsensitively(string encoding, string expected)
    {
        Assert.Equal(expected, Single("objectName: s", "objectType: secret", $"objectEncoding: {encoding}").Encoding);
    }

    [Fact]
    public void ObjectEncoding_Unknown_IsRejected()
    {
        Assert.EndsWith("objectEncoding: invalid objectEncoding: utf-16, should be hex, base64 or utf-8", ObjectError("objectName: s", "objectType: secret", "objectEncoding: utf-16"));
    }

    [Theory]
    [InlineData("key")]
    [InlineData("cert")]
    public void ObjectEncoding_OnNonSecret_IsRejected(string type)
    {
        Assert.EndsWith("objectEncoding: objectEncoding only supported for objectType: secret", ObjectError("objectName: s", $"objectType: {type}", "objectEncoding: base64"));
    }

    [Theory]
    [InlineData("")]
    [InlineData("secrets")]
    [InlineData("Secret")]
    [InlineData("certificate")]
    public void ObjectType_Invalid_IsRejected(string type)
    {
        Assert.EndsWith("objectType: Invalid vaultObjectTypes. Should be secret, key, or cert", ObjectError("objectName: s", $"objectType: \"{type}\""));
    }

    [Fact]
    public void ObjectName_Missing_IsRejected()
    {
        Assert.StartsWith("objects.array[0]: objectName is not set", ObjectError("objectType: secret"));
    }

    [Theory]
    [InlineData("objectAlias: /etc/passwd", "objectAlias: file name must be a relative path")]
    [InlineData("objectAlias: ../escape", "objectAlias: file name must not contain '..'")]
    [InlineData("objectAlias: a/../../b", "objectAlias: file name must not contain '..'")]
    [InlineData("objectAlias: a..b", "objectAlias: file name must not contain '..'")]
    [InlineData("objectAlias: a//b", "objectAlias: file name is not usable")]
    public void FileName_Unsafe_IsRejected(string line, string message)
    {
        Assert.Contains(message, ObjectError("objectName: s", "objectType: secret", line));
    }

    [Fact]
    public void ObjectName_AsFileName_IsChecked()
    {
        Assert.Contains("objectName: file name must not contain '..'", ObjectError("objectName: ../s", "objectType: secret"));
    }

    [Theory]
    [InlineData("filePermission: 0644", 420)]
    [InlineData("filePermission: \"0400\"", 256)]
    [InlineData("filePermission: 600", 384)]
    public void FilePermission_IsOctal(string line, int mode)
    {
        Assert.Equal(mode, Single("objectName: s", "objectType: secret", line).FileMode);
    }

    [Theory]
    [InlineData("filePermission: 0999")]
    [InlineData("filePermission: rw-r--r--")]
    [InlineData("filePermission: 01777")]
    public void FilePermission_Invalid_IsRejected(string line)
    {
        Assert.Contains("filePermission: file permission must be a valid octal number", ObjectError("objectName: s", "objectType: secret", line));
    }

    [Fact]
    public void UnknownKeys_AreIgnored()
    {
        Assert.Equal("s", Single("objectName: s", "objectType: secret", "objectColour: blue").ObjectName);
    }

    [Fact]
    public void EmptyArray_GivesNoObjects()
    {
        Assert.Empty(Parse(Parameters("array: []")).Objects);
        Assert.Empty(Parse(Parameters("other: 1")).Objects);
    }

    [Fact]
    public void ArrayItem_ThatIsAMapping_IsRejectedWithTheBlockHint()
    {
        const string yaml = "array:\n  - objectName: s\n    objectType: secret\n";

        var message = Error(Parameters(yaml));

        Assert.StartsWith("objects.array[0]: each entry must be a YAML string", message);
        Assert.Contains("- |", message);
    }

    [Fact]
    public void Objects_AsAPlainList_IsRejectedWithTheArrayHint()
    {
        Assert.Contains("put the list under \"array:\"", Error(Parameters("- |\n  objectName: s\n")));
    }

    [Fact]
    public void Objects_NotYaml_IsRejected()
    {
        Assert.StartsWith("objects: failed to yaml unmarshal", Error(Parameters("array: [unclosed")));
    }

    [Fact]
    public void ObjectString_NotYaml_IsRejectedNamingTheIndex()
    {
        const string yaml = "array:\n  - |\n    objectName: s\n    objectType: secret\n  - |\n    objectName: [x\n";

        Assert.StartsWith("objects.array[1]: failed to yaml unmarshal", Error(Parameters(yaml)));
    }

    [Fact]
    public void ObjectField_ThatIsAList_IsRejected()
    {
        Assert.Contains("objectName must be a single value", ObjectError("objectName: [a, b]", "objectType: secret"));
    }

    [Fact]
    public void ErrorsNameTheFailingObjectIndex()
    {
        const string yaml = "array:\n  - |\n    objectName: ok\n    objectType: secret\n  - |\n    objectName: bad\n    objectType: blob\n";

        Assert.StartsWith("objects.array[1] (objectName \"bad\", objectType \"blob\")", Error(Parameters(yaml)));
    }
}
