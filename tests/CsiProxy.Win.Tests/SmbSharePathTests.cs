using CsiProxy.Win.Paths;

namespace CsiProxy.Win.Tests;

public sealed class SmbSharePathTests
{
    [Theory]
    [InlineData(@"\\Server\Share", @"\\server\share", @"\\Server\Share")]
    [InlineData(@"\\server.example.com\share\dir\sub", @"\\server.example.com\share", @"\\server.example.com\share\dir\sub")]
    [InlineData(@"//10.0.0.4/share/dir", @"\\10.0.0.4\share", @"\\10.0.0.4\share\dir")]
    [InlineData(@"\\server\hidden$\dir", @"\\server\hidden$", @"\\server\hidden$\dir")]
    [InlineData(@"\\server\share\", @"\\server\share", @"\\server\share")]
    public void Parse_maps_the_root_share_and_keeps_the_full_path(string remote, string root, string full)
    {
        var path = SmbSharePath.Parse("remote_path", remote);

        Assert.Equal(root, path.Root);
        Assert.Equal(full, path.Full);
    }

    [Theory]
    [InlineData("", "is required")]
    [InlineData(@"C:\share", @"\\server\share")]
    [InlineData(@"\\server", @"\\server\share")]
    [InlineData(@"\\?\C:\x", "device paths")]
    [InlineData(@"\\.\pipe\x", "device paths")]
    [InlineData(@"\\server\share\..\other", "relative segments")]
    [InlineData(@"\\server\share\x:stream", "not allowed")]
    [InlineData(@"\\server\sha;re", "not allowed")]
    [InlineData(@"\\server\share\a=b", "not allowed")]
    [InlineData(@"\\server\share\$x", "'$'")]
    [InlineData(@"\\bad_host!\share", "not a host name")]
    [InlineData("\\\\server\\share\\a\nb", "not allowed")]
    [InlineData(@"\\server\share\CON", "reserved device name")]
    public void Parse_refuses_with_InvalidArgument_naming_the_field(string remote, string reason)
    {
        var e = Assert.Throws<ProxyException>(() => SmbSharePath.Parse("remote_path", remote));

        Assert.Equal(ProxyErrorCode.InvalidArgument, e.Code);
        Assert.StartsWith("remote_path: ", e.Message);
        Assert.Contains(reason, e.Message);
    }
}
