using Csi.Common.Files;

namespace Csi.Common.Tests;

public class FilePathRulesTests
{
    [Theory]
    [InlineData("foo")]
    [InlineData("dir/foo")]
    [InlineData("a/b/c.pem")]
    [InlineData(".hidden")]
    [InlineData("a..b")]
    public void CheckPath_AcceptsCleanRelativePaths(string path)
        => Assert.Null(FilePathRules.CheckPath(path));

    [Theory]
    [InlineData("", "empty")]
    [InlineData("/etc/passwd", "relative")]
    [InlineData("../escape", "must not start with '..'")]
    [InlineData("..data", "must not start with '..'")]
    [InlineData("a/../../b", "'..' element")]
    [InlineData("a/..", "'..' element")]
    [InlineData("a//b", "not clean")]
    [InlineData("./a", "not clean")]
    [InlineData("a/./b", "not clean")]
    [InlineData("a/", "not clean")]
    [InlineData("a\0b", "NUL")]
    public void CheckPath_RejectsUnsafePaths(string path, string reason)
        => Assert.Contains(reason, FilePathRules.CheckPath(path), StringComparison.Ordinal);

    [Fact]
    public void CheckPath_RejectsOverlongNamesAndPaths()
    {
        Assert.Contains("255", FilePathRules.CheckPath(new string('a', 256)), StringComparison.Ordinal);
        Assert.Null(FilePathRules.CheckPath(new string('a', 255)));
        var longPath = string.Join('/', Enumerable.Repeat(new string('b', 200), 21));
        Assert.Contains("4096", FilePathRules.CheckPath(longPath), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(512)]
    public void CheckMode_RejectsModesOutside0To0777(int mode)
        => Assert.NotNull(FilePathRules.CheckMode(mode));

    [Fact]
    public void Check_RejectsDuplicatesAndFileDirectoryCollisions()
    {
        var dup = FilePathRules.Check([File("a"), File("a")]);
        Assert.Contains("more than once", dup, StringComparison.Ordinal);
        var collision = FilePathRules.Check([File("a"), File("a/b")]);
        Assert.Contains("its parent \"a\" is also a file", collision, StringComparison.Ordinal);
        Assert.Null(FilePathRules.Check([File("a/x"), File("a/y"), File("b")]));
    }

    private static (string Path, int Mode) File(string path) => (path, 420);
}
