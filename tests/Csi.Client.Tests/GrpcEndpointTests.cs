using Csi.Common;

namespace Csi.Client.Tests;

public class GrpcEndpointTests
{
    [Theory]
    [InlineData("unix:///var/lib/kubelet/plugins/csi.sock", "/var/lib/kubelet/plugins/csi.sock")]
    [InlineData("unix:/var/lib/kubelet/plugins/csi.sock", "/var/lib/kubelet/plugins/csi.sock")]
    [InlineData("/var/lib/kubelet/plugins/csi.sock", "/var/lib/kubelet/plugins/csi.sock")]
    // As in csi-lib-utils: only "unix://" is stripped, so what follows is a relative path.
    [InlineData("unix://plugins/csi.sock", "plugins/csi.sock")]
    [InlineData("unix:csi.sock", "csi.sock")]
    public void ParseUnixSocketPath_accepts_each_unix_form(string endpoint, string expected)
    {
        Assert.Equal(expected, GrpcEndpoint.ParseUnixSocketPath(endpoint));
    }

    [Theory]
    [InlineData("tcp://127.0.0.1:10000")]
    [InlineData("localhost:10000")]
    [InlineData("foo")]
    [InlineData("unix:")]
    [InlineData("unix://")]
    public void ParseUnixSocketPath_rejects_everything_else(string endpoint)
    {
        var e = Assert.Throws<ArgumentException>(() => GrpcEndpoint.ParseUnixSocketPath(endpoint));
        Assert.Contains("unix:///abs/path", e.Message);
    }

    [Theory]
    [InlineData("unix:///tmp/x.sock")]
    [InlineData("unix:/tmp/x.sock")]
    [InlineData("/tmp/x.sock")]
    public void CreateChannel_for_a_unix_socket_uses_localhost_as_authority(string endpoint)
    {
        using var channel = GrpcEndpoint.CreateChannel(endpoint);
        Assert.Equal("localhost", channel.Target);
    }

    [Theory]
    [InlineData("tcp://127.0.0.1:10000", "127.0.0.1:10000")]
    [InlineData("127.0.0.1:10000", "127.0.0.1:10000")]
    [InlineData("csi.example.com:443", "csi.example.com:443")]
    [InlineData("tcp://[::1]:10000", "[::1]:10000")]
    public void CreateChannel_for_tcp_targets_host_and_port(string endpoint, string target)
    {
        using var channel = GrpcEndpoint.CreateChannel(endpoint);
        Assert.Equal(target, channel.Target);
    }

    [Theory]
    [InlineData("")]
    [InlineData("foo")]
    [InlineData("unix:")]
    [InlineData("tcp://host")]
    [InlineData("tcp://:10000")]
    [InlineData("host:0")]
    [InlineData("host:65536")]
    [InlineData("host:port")]
    [InlineData("http://host:10000")]
    [InlineData("::1:10000")]
    [InlineData("tcp://host:10000/path")]
    public void CreateChannel_rejects_bad_endpoints_naming_the_accepted_forms(string endpoint)
    {
        var e = Assert.Throws<ArgumentException>(() => GrpcEndpoint.CreateChannel(endpoint));
        Assert.Contains("unix:///abs/path", e.Message);
        Assert.Contains("tcp://host:port", e.Message);
    }
}
