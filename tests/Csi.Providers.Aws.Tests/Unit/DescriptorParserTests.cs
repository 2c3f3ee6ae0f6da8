using static Csi.Providers.Aws.Tests.Unit.Descriptors;

namespace Csi.Providers.Aws.Tests.Unit;

public sealed class DescriptorParserTests
{
    private const string SmArn = "arn:aws:secretsmanager:us-east-1:111122223333:secret:db-AbCdEf";

    [Fact]
    public void EveryField_IsRead()
    {
        var d = Assert.Single(Parse("""
            - objectName: "MySecret"
              objectType: "secretsmanager"
              objectAlias: "alias"
              objectVersion: "v-1"
              objectVersionLabel: "AWSPREVIOUS"
              filePermission: "0600"
              jmesPath:
                - path: username
                  objectAlias: user
                  filePermission: "0400"
                - path: password
                  objectAlias: pass
              failoverObject:
                objectName: "OtherSecret"
                objectVersion: "v-1"
                objectVersionLabel: "AWSCURRENT"
            """, null, "us-east-1", "us-west-2"));

        Assert.Equal(("MySecret", AwsObjectType.SecretsManager, "alias", "v-1", "AWSPREVIOUS"), (d.ObjectName, d.Type, d.ObjectAlias, d.ObjectVersion, d.ObjectVersionLabel));
        Assert.Equal(("alias", 384), (d.FileName, d.Mode));
        Assert.Equal([("username", "user", (int?)256), ("password", "pass", null)], d.JmesPath.Select(j => (j.Path, j.FileName, j.Mode)));
        Assert.Equal(new FailoverObject("OtherSecret", "v-1", "AWSCURRENT"), d.Failover);
        Assert.Equal("OtherSecret", d.NameIn(failoverRegion: true));
        Assert.Equal("MySecret", d.NameIn(failoverRegion: false));
        Assert.Equal("AWSCURRENT", d.LabelIn(failoverRegion: true));
    }

    [Fact]
    public void Defaults_AreNoAliasNoModeNoVersion()
    {
        var d = Assert.Single(Parse("- objectName: p\n  objectType: ssmparameter"));
        Assert.Equal((AwsObjectType.SsmParameter, "p", (int?)null, "", "", 0, (FailoverObject?)null), (d.Type, d.FileName, d.Mode, d.ObjectVersion, d.ObjectVersionLabel, d.JmesPath.Count, d.Failover));
    }

    [Fact]
    public void Keys_MatchIgnoringCase_AsGoJsonDoes()
    {
        var d = Assert.Single(Parse("- ObjectName: a\n  OBJECTTYPE: secretsmanager\n  objectalias: b"));
        Assert.Equal(("a", "b"), (d.ObjectName, d.FileName));
    }

    [Fact]
    public void UnknownKeys_AreIgnored()
    {
        Assert.Single(Parse("- objectName: a\n  objectType: secretsmanager\n  somethingElse: [1, 2]"));
    }

    [Fact]
    public void UnquotedNumbers_AreReadAsGoReadsThem()
    {
        var d = Assert.Single(Parse("- objectName: a\n  objectType: ssmparameter\n  objectVersion: 3"));
        Assert.Equal("3", d.ObjectVersion);
        var message = Fails("- objectName: a\n  objectType: ssmparameter\n  filePermission: 0644", ["Invalid File Permission: 420", "quote it: \"0644\""]);
        Assert.Contains("objects[0] (objectName \"a\"): filePermission", message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("arn:aws:secretsmanager:us-east-1:111122223333:secret:db-AbCdEf", true)]
    [InlineData("arn:aws:ssm:us-east-1:111122223333:parameter/app/db", false)]
    public void ObjectType_IsImpliedByAnArn(string arn, bool secretsManager)
    {
        var d = Assert.Single(Parse($"- objectName: \"{arn}\"\n  objectAlias: x"));
        Assert.Equal(secretsManager ? AwsObjectType.SecretsManager : AwsObjectType.SsmParameter, d.Type);
    }

    [Fact]
    public void Empty_GivesNoObjects()
    {
        Assert.Empty(Parse(""));
        Assert.Empty(Parse("[]"));
        Assert.Empty(Parse("~"));
    }

    [Theory]
    [InlineData("- objectType: secretsmanager", "objects[0]: objectName: Object name must be specified")]
    [InlineData("- objectName: a", "objects[0] (objectName \"a\"): objectType: Must use objectType when a full ARN is not specified: a")]
    [InlineData("- objectName: a\n  objectType: vault", "objectType: Invalid objectType: vault")]
    [InlineData("- objectName: a\n  objectType: ssm", "objectType: Invalid objectType: ssm")]
    [InlineData("- objectName: \"arn:aws:secretsmanager\"", "objectName: Invalid ARN format in object name: arn:aws:secretsmanager")]
    [InlineData("- objectName: \"arn:aws:secretsmanager:eu-west-1:1:secret:x\"", "objectName: ARN region must match region us-east-1: arn:aws:secretsmanager:eu-west-1:1:secret:x")]
    [InlineData("- objectName: \"arn:aws:s3:us-east-1:1:bucket\"", "objectName: Invalid service in ARN: s3")]
    [InlineData("- objectName: \"" + SmArn + "\"\n  objectType: ssmparameter", "objectType: objectType does not match ARN: " + SmArn)]
    [InlineData("- objectName: p\n  objectType: ssmparameter\n  objectVersion: \"1\"\n  objectVersionLabel: l", "objectVersionLabel: ssm parameters can not specify both objectVersion and objectVersionLabel: p")]
    [InlineData("- objectName: a\n  objectType: secretsmanager\n  filePermission: \"644\"", "filePermission: Invalid File Permission: 644")]
    [InlineData("- objectName: a\n  objectType: secretsmanager\n  filePermission: \"0999\"", "filePermission: Invalid File Permission: 0999")]
    [InlineData("- objectName: a\n  objectType: secretsmanager\n  filePermission: \"4755\"", "setuid")]
    [InlineData("- objectName: a\n  objectType: secretsmanager\n  jmesPath:\n    - objectAlias: u", "jmesPath[0]: path: Path must be specified for JMES object")]
    [InlineData("- objectName: a\n  objectType: secretsmanager\n  jmesPath:\n    - path: u", "jmesPath[0]: objectAlias: Object alias must be specified for JMES object")]
    [InlineData("- objectName: a\n  objectType: secretsmanager\n  jmesPath:\n    - path: u\n      objectAlias: u\n      filePermission: \"77\"", "jmesPath[0]: filePermission: Invalid File Permission: 77")]
    [InlineData("- objectName: a\n  objectType: secretsmanager\n  jmesPath: {path: u}", "jmesPath: Failed to load SecretProviderClass")]
    [InlineData("- objectName: a\n  objectType: secretsmanager\n  objectAlias: [x]", "objectAlias: Failed to load SecretProviderClass: objectAlias must be a single value")]
    [InlineData("objectName: a", "objects: Failed to load SecretProviderClass: must be a YAML list of objects, not a mapping")]
    [InlineData("- a", "objects[0]: Failed to load SecretProviderClass: each entry must be a mapping")]
    [InlineData("- objectName: a\n  objectType: secretsmanager\n-", "objects[1]: Empty descriptor entry in SecretProviderClass")]
    [InlineData("- objectName: [a", "objects: Failed to load SecretProviderClass: not valid YAML at line")]
    public void Errors_NameTheObjectAndField(string yaml, string expected)
    {
        Fails(yaml, [expected]);
    }

    [Theory]
    [InlineData("../etc/passwd", "False")]
    [InlineData("a/../../b", "False")]
    [InlineData("a/..", "False")]
    public void TraversalInFileNames_IsRefused(string alias, string translation)
    {
        Fails($"- objectName: a\n  objectType: secretsmanager\n  objectAlias: \"{alias}\"", ["objectAlias: path can not contain ../: a"], translation);
    }

    [Fact]
    public void TraversalInJmesAliases_IsRefused()
    {
        Fails("- objectName: a\n  objectType: secretsmanager\n  jmesPath:\n    - path: u\n      objectAlias: \"../u\"", ["jmesPath[0]: objectAlias: path can not contain ../"], "False");
    }

    [Fact]
    public void TraversalWithTranslationOn_BecomesAFlatName()
    {
        var d = Assert.Single(Parse("- objectName: a\n  objectType: secretsmanager\n  objectAlias: \"a/../x\""));
        Assert.Equal("a_.._x", d.FileName);
        Fails("- objectName: a\n  objectType: secretsmanager\n  objectAlias: \"../x\"", ["objectAlias: file name \".._x\" cannot be written"]);
    }

    [Fact]
    public void YamlBooleans_AreReadAsGoReadsThem()
    {
        var d = Assert.Single(Parse("- objectName: a\n  objectType: secretsmanager\n  objectAlias: yes"));
        Assert.Equal("true", d.FileName);
    }

    [Fact]
    public void FailoverObject_NeedsAnAlias()
    {
        Fails("- objectName: a\n  objectType: secretsmanager\n  failoverObject:\n    objectName: b", ["objectAlias: object alias must be specified for objects with failover entries: a"], null, "us-east-1", "us-west-2");
    }

    [Fact]
    public void FailoverObject_NeedsAFailoverRegion()
    {
        Fails("- objectName: a\n  objectType: secretsmanager\n  objectAlias: x\n  failoverObject:\n    objectName: b", ["failoverObject: failover object allowed only when failover region is defined: a", "set the failoverRegion parameter"]);
    }

    [Fact]
    public void FailoverObject_ArnMustBeInTheFailoverRegion()
    {
        Fails("- objectName: a\n  objectType: secretsmanager\n  objectAlias: x\n  failoverObject:\n    objectName: \"arn:aws:secretsmanager:us-east-1:1:secret:b\"",
            ["failoverObject.objectName: ARN region must match region us-west-2"], null, "us-east-1", "us-west-2");
    }

    [Fact]
    public void FailoverObject_VersionsMustMatch()
    {
        Fails("- objectName: a\n  objectType: secretsmanager\n  objectAlias: x\n  objectVersion: v1\n  failoverObject:\n    objectName: b\n    objectVersion: v2",
            ["failoverObject.objectVersion: object versions must match between primary and failover regions: a"], null, "us-east-1", "us-west-2");
    }

    [Fact]
    public void FailoverObject_SsmCannotHaveVersionAndLabel()
    {
        Fails("- objectName: a\n  objectType: ssmparameter\n  objectAlias: x\n  objectVersion: \"1\"\n  failoverObject:\n    objectName: b\n    objectVersion: \"1\"\n    objectVersionLabel: l",
            ["failoverObject.objectVersionLabel: ssm parameters can not specify both"], null, "us-east-1", "us-west-2");
    }

    [Fact]
    public void FailoverObject_WithoutName_IsIgnored()
    {
        var d = Assert.Single(Parse("- objectName: a\n  objectType: secretsmanager\n  failoverObject:\n    objectVersionLabel: l"));
        Assert.Equal("a", d.NameIn(failoverRegion: true));
    }

    [Theory]
    [InlineData("- {objectName: a, objectType: secretsmanager}\n- {objectName: a, objectType: secretsmanager}", "found descriptor with duplicate object name a, no object alias, and no version label")]
    [InlineData("- {objectName: a, objectType: secretsmanager, objectAlias: x}\n- {objectName: a, objectType: secretsmanager, objectAlias: x}", "found descriptor with duplicate object name a, duplicate object alias x, and no version label")]
    [InlineData("- {objectName: a, objectType: secretsmanager, objectVersionLabel: l}\n- {objectName: a, objectType: secretsmanager, objectVersionLabel: l}", "found descriptor with duplicate object name a, no object alias, and duplicate version label l")]
    [InlineData("- {objectName: a, objectType: secretsmanager, objectAlias: x, objectVersionLabel: l}\n- {objectName: a, objectType: secretsmanager, objectAlias: x, objectVersionLabel: l}", "duplicate object alias x, and duplicate version label l")]
    [InlineData("- {objectName: a, objectType: secretsmanager, objectAlias: x}\n- {objectName: b, objectType: secretsmanager, objectAlias: x}", "objects[1] (objectName \"b\"): objectAlias: found duplicate object alias x")]
    [InlineData("- {objectName: a, objectType: secretsmanager, objectAlias: x}\n- {objectName: b, objectType: secretsmanager, jmesPath: [{path: p, objectAlias: x}]}", "Name already in use for objectAlias: found duplicate object alias x in JMES path entry p")]
    [InlineData("- {objectName: a, objectType: secretsmanager, jmesPath: [{path: p, objectAlias: z}, {path: q, objectAlias: z}]}", "found duplicate object alias z in JMES path entry q")]
    [InlineData("- {objectName: a/b, objectType: secretsmanager}\n- {objectName: a_b, objectType: ssmparameter}", "file \"a_b\" is also written by objects[0]")]
    public void Duplicates_AreRefused(string yaml, string expected)
    {
        Fails(yaml, [expected]);
    }

    [Fact]
    public void SameName_WithDistinctAliasesOrLabels_IsAllowed()
    {
        var all = Parse("""
            - {objectName: a, objectType: secretsmanager}
            - {objectName: a, objectType: secretsmanager, objectAlias: a-prev, objectVersionLabel: AWSPREVIOUS}
            - {objectName: a, objectType: secretsmanager, objectAlias: a-2}
            """);
        Assert.Equal(["a", "a-prev", "a-2"], all.Select(d => d.FileName));
    }
}
