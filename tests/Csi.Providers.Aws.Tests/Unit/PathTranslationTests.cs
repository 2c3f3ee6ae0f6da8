using Csi.ProviderHost;
using static Csi.Providers.Aws.Tests.Unit.Descriptors;

namespace Csi.Providers.Aws.Tests.Unit;

public sealed class PathTranslationTests
{
    [Theory]
    [InlineData(null, "/app/db/password", "_app_db_password")]
    [InlineData("", "app/db", "app_db")]
    [InlineData("_", "a/b/c", "a_b_c")]
    [InlineData("-", "a/b/c", "a-b-c")]
    [InlineData("False", "/app/db/password", "app/db/password")]
    [InlineData("false", "//a/b", "a/b")]
    [InlineData("FALSE", "plain", "plain")]
    public void FileNames_FollowPathTranslation(string? translation, string name, string expected)
    {
        Assert.Equal(expected, PathTranslation.Parse(translation).Apply(name));
    }

    [Theory]
    [InlineData("__")]
    [InlineData("no")]
    [InlineData("true")]
    public void AnythingButFalseOrOneCharacter_IsRefused(string translation)
    {
        var e = Assert.Throws<ProviderException>(() => PathTranslation.Parse(translation));
        Assert.Contains("pathTranslation must be either 'False' or a single character string", e.Message, StringComparison.Ordinal);
        Assert.Equal(ProviderErrorKind.InvalidArgument, e.Kind);
    }

    [Fact]
    public void TranslationApplies_ToAliasesAndJmesAliases()
    {
        var d = Assert.Single(Parse("- objectName: /app/s\n  objectType: secretsmanager\n  objectAlias: dir/s\n  jmesPath:\n    - path: u\n      objectAlias: dir/u", "-"));
        Assert.Equal(("dir-s", "dir-u"), (d.FileName, d.JmesPath[0].FileName));
        var off = Assert.Single(Parse("- objectName: /app/s\n  objectType: secretsmanager", "False"));
        Assert.Equal("app/s", off.FileName);
    }
}
