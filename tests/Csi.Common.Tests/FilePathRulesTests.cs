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

    [Theory]
    [InlineData(@"..\..\windows\system32\config", "'\\'")]
    [InlineData(@"certs\..\..\x", "'\\'")]
    [InlineData(@"c:\windows\x", "':'")]
    [InlineData("c:x", "':'")]
    [InlineData("tls.crt:hidden", "':'")]
    [InlineData("a*b", "'*'")]
    [InlineData("a|b", "'|'")]
    [InlineData("a\u0001b", "control character")]
    [InlineData("dir./x", "ends with '.' or a space")]
    [InlineData("x ", "ends with '.' or a space")]
    public void CheckPath_ForAWindowsNode_RejectsWhatWindowsWouldReadAsAnotherPath(string path, string reason)
    {
        Assert.Contains(reason, FilePathRules.CheckPath(path, windows: true), StringComparison.Ordinal);
        Assert.Contains(reason, FilePathRules.Check([File(path)], windows: true), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("tls.crt")]
    [InlineData("certs/ca.pem")]
    [InlineData(".hidden")]
    public void CheckPath_ForAWindowsNode_AcceptsPlainNames(string path)
        => Assert.Null(FilePathRules.CheckPath(path, windows: true));

    [Fact]
    public void CheckPath_OnThisLinuxMachine_KeepsLinuxRules()
    {
        // A backslash or colon is an ordinary character in a Linux file name.
        Assert.Null(FilePathRules.CheckPath(@"a\b:c"));
        Assert.Null(FilePathRules.Check([File("x ")]));
    }

    private static (string Path, int Mode) File(string path) => (path, 420);
}
