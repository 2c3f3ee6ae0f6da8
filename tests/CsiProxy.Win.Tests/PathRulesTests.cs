using CsiProxy.Win.Paths;

namespace CsiProxy.Win.Tests;

public sealed class PathRulesTests
{
    private static readonly PathRules Rules = new([@"C:\var\lib\kubelet", @"D:\csi\work"]);

    [Theory]
    [InlineData(@"C:\var\lib\kubelet\pods\uid\volumes\pv\mount", @"C:\var\lib\kubelet\pods\uid\volumes\pv\mount")]
    [InlineData(@"c:\VAR\Lib\KUBELET\plugins\x", @"C:\VAR\Lib\KUBELET\plugins\x")]
    [InlineData(@"C:/var/lib/kubelet/plugins/x", @"C:\var\lib\kubelet\plugins\x")]
    [InlineData(@"C:\var/lib\kubelet/plugins\x", @"C:\var\lib\kubelet\plugins\x")]
    [InlineData(@"C:\var\lib\kubelet\\plugins\\x\", @"C:\var\lib\kubelet\plugins\x")]
    [InlineData(@"D:\csi\work\staging", @"D:\csi\work\staging")]
    [InlineData(@"C:\var\lib\kubelet\pods\a.b\c d", @"C:\var\lib\kubelet\pods\a.b\c d")]
    [InlineData(@"C:\var\lib\kubelet\pods\kubernetes.io~csi", @"C:\var\lib\kubelet\pods\kubernetes.io~csi")]
    public void Check_accepts_paths_inside_an_allowed_root_and_returns_the_canonical_form(string path, string canonical)
        => Assert.Equal(canonical, Rules.Check("path", path));

    [Theory]
    // Look-alike prefixes: a string prefix check would let these through.
    [InlineData(@"C:\var\lib\kubelet-evil\x", "must be inside")]
    [InlineData(@"C:\var\lib\kubelet2\x", "must be inside")]
    [InlineData(@"C:\var\lib\kubeletx", "must be inside")]
    [InlineData(@"D:\csi\workshop\x", "must be inside")]
    // The roots themselves, their parents and other drives.
    [InlineData(@"C:\var\lib\kubelet", "must be inside")]
    [InlineData(@"C:\var\lib\kubelet\", "must be inside")]
    [InlineData(@"C:\var\lib", "must be inside")]
    [InlineData(@"C:\", "must be inside")]
    [InlineData(@"E:\var\lib\kubelet\x", "must be inside")]
    [InlineData(@"D:\var\lib\kubelet\x", "must be inside")]
    // Traversal.
    [InlineData(@"C:\var\lib\kubelet\..\..\..\Windows\System32", "relative segments")]
    [InlineData(@"C:\var\lib\kubelet\pods\..\..\kubelet-evil", "relative segments")]
    [InlineData(@"C:/var/lib/kubelet/../x", "relative segments")]
    [InlineData(@"C:\var\lib\kubelet\.\x", "relative segments")]
    // UNC, device and relative forms.
    [InlineData(@"\\server\share\var\lib\kubelet\x", "UNC")]
    [InlineData(@"\\?\C:\var\lib\kubelet\x", "UNC")]
    [InlineData(@"\\.\pipe\csi-proxy-disk-v1", "UNC")]
    [InlineData(@"//server/share/x", "UNC")]
    [InlineData(@"\var\lib\kubelet\x", "UNC")]
    [InlineData(@"var\lib\kubelet\x", "absolute path")]
    [InlineData(@"C:var\lib\kubelet\x", "absolute path")]
    [InlineData(@"1:\var\lib\kubelet\x", "absolute path")]
    // Alternate data streams, wildcards, invalid characters.
    [InlineData(@"C:\var\lib\kubelet\x:stream", "alternate data streams")]
    [InlineData(@"C:\var\lib\kubelet\x::$DATA", "alternate data streams")]
    [InlineData(@"C:\var\lib\kubelet\*", "'*'")]
    [InlineData(@"C:\var\lib\kubelet\a?b", "'?'")]
    [InlineData(@"C:\var\lib\kubelet\a|b", "'|'")]
    [InlineData(@"C:\var\lib\kubelet\a<b", "'<'")]
    [InlineData("C:\\var\\lib\\kubelet\\a\"b", "'\"'")]
    [InlineData("C:\\var\\lib\\kubelet\\a\0b", "control character")]
    // Reserved device names, with or without an extension, in any case.
    [InlineData(@"C:\var\lib\kubelet\CON", "reserved device name")]
    [InlineData(@"C:\var\lib\kubelet\nul", "reserved device name")]
    [InlineData(@"C:\var\lib\kubelet\pods\NUL.txt", "reserved device name")]
    [InlineData(@"C:\var\lib\kubelet\COM1", "reserved device name")]
    [InlineData(@"C:\var\lib\kubelet\lpt9.log", "reserved device name")]
    [InlineData(@"C:\var\lib\kubelet\AUX\x", "reserved device name")]
    [InlineData(@"C:\var\lib\kubelet\CONIN$", "reserved device name")]
    // Names Windows would rewrite.
    [InlineData(@"C:\var\lib\kubelet.\x", "ends with a dot")]
    [InlineData(@"C:\var\lib\kubelet \x", "ends with a dot or a space")]
    [InlineData("", "is required")]
    public void Check_refuses_with_InvalidArgument_naming_the_field(string path, string reason)
    {
        var e = Assert.Throws<ProxyException>(() => Rules.Check("target_path", path));

        Assert.Equal(ProxyErrorCode.InvalidArgument, e.Code);
        Assert.StartsWith("target_path: ", e.Message);
        Assert.Contains(reason, e.Message);
    }

    [Fact]
    public void Check_refuses_paths_longer_than_260_characters()
    {
        var path = @"C:\var\lib\kubelet\" + new string('a', 250);

        var e = Assert.Throws<ProxyException>(() => Rules.Check("path", path));

        Assert.Contains("longer than 260", e.Message);
    }

    [Fact]
    public void Names_that_merely_contain_a_reserved_name_are_allowed()
        => Assert.Equal(@"C:\var\lib\kubelet\CONSOLE\COM10\nullable", Rules.Check("path", @"C:\var\lib\kubelet\CONSOLE\COM10\nullable"));

    [Theory]
    [InlineData(@"C:\")]
    [InlineData(@"\\server\share")]
    [InlineData(@"relative")]
    public void A_root_that_is_not_a_directory_path_is_refused(string root)
        => Assert.Throws<ArgumentException>(() => new PathRules([root]));
}
