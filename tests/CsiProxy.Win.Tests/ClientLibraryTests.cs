using CsiProxy.Win.Api.FilesystemV1;
using CsiProxy.Win.Api.VolumeV1;
using CsiProxy.Win.Client;
using CsiProxy.Win.Client.Pipes;
using CsiProxy.Win.Hosts;
using Grpc.Core;
using Moq;

namespace CsiProxy.Win.Tests;

/// <summary>A plugin sees the same behaviour through the pipes and in process: same results, same refusals.</summary>
public sealed class ClientLibraryTests
{
    private const string Staging = @"C:\var\lib\kubelet\plugins\x\globalmount";

    [Fact]
    public async Task Over_the_pipes_a_refusal_is_the_ProxyException_an_in_process_group_throws()
    {
        await using var server = await ProxyServer.StartAsync();
        using var inProcess = InProcess(out _);

        var overPipe = await Assert.ThrowsAsync<ProxyException>(() => server.Proxy.Filesystem.MkdirAsync(new MkdirRequest { Path = @"C:\var\lib\kubelet-evil\x" }));
        var local = await Assert.ThrowsAsync<ProxyException>(() => inProcess.Filesystem.MkdirAsync(new MkdirRequest { Path = @"C:\var\lib\kubelet-evil\x" }));

        Assert.Equal(ProxyErrorCode.InvalidArgument, overPipe.Code);
        Assert.Equal((local.Code, local.Message), (overPipe.Code, overPipe.Message));
    }

    [Fact]
    public async Task Over_the_pipes_and_in_process_a_call_reaches_the_host_the_same_way()
    {
        await using var server = await ProxyServer.StartAsync();
        server.Files.Setup(h => h.Exists(Staging)).Returns(true);
        using var inProcess = InProcess(out var files);
        files.Setup(h => h.Exists(Staging)).Returns(true);

        Assert.True((await server.Proxy.Filesystem.PathExistsAsync(new PathExistsRequest { Path = Staging })).Exists);
        Assert.True((await inProcess.Filesystem.PathExistsAsync(new PathExistsRequest { Path = Staging })).Exists);
    }

    [Fact]
    public async Task A_missing_pipe_is_Unavailable()
    {
        var missing = Path.Combine(Path.GetTempPath(), "csi-proxy-missing-" + Guid.NewGuid().ToString("N"));
        await using var elsewhere = await ProxyServer.StartAsync();
        using var proxy = new PipeCsiProxy(group => group == ApiGroup.VolumeV1
            ? Grpc.Net.Client.GrpcChannel.ForAddress("http://localhost", new Grpc.Net.Client.GrpcChannelOptions
            {
                HttpHandler = new SocketsHttpHandler
                {
                    ConnectCallback = async (_, token) =>
                    {
                        var socket = new System.Net.Sockets.Socket(System.Net.Sockets.AddressFamily.Unix, System.Net.Sockets.SocketType.Stream, System.Net.Sockets.ProtocolType.Unspecified);
                        await socket.ConnectAsync(new System.Net.Sockets.UnixDomainSocketEndPoint(missing), token);
                        return new System.Net.Sockets.NetworkStream(socket, ownsSocket: true);
                    },
                },
            })
            : elsewhere.Channel(group));

        var e = await Assert.ThrowsAsync<ProxyException>(() => proxy.Volume.GetVolumeStatsAsync(new GetVolumeStatsRequest { VolumeId = @"\\?\Volume{0a1b2c3d-1111-2222-3333-444455556666}\" }));

        Assert.Equal(ProxyErrorCode.Unavailable, e.Code);
    }

    [Theory]
    [InlineData(StatusCode.InvalidArgument, ProxyErrorCode.InvalidArgument)]
    [InlineData(StatusCode.NotFound, ProxyErrorCode.NotFound)]
    [InlineData(StatusCode.FailedPrecondition, ProxyErrorCode.FailedPrecondition)]
    [InlineData(StatusCode.Unavailable, ProxyErrorCode.Unavailable)]
    [InlineData(StatusCode.Unknown, ProxyErrorCode.Internal)]
    public void Status_codes_map_back_to_proxy_error_codes(StatusCode status, ProxyErrorCode code)
        => Assert.Equal(code, RpcErrors.Map(status));

    [Fact]
    public void Pipe_channels_name_upstreams_pipes_and_find_none_off_Windows()
    {
        using var channel = PipeChannels.For(ApiGroup.SmbV1);

        Assert.NotNull(channel);
        Assert.False(PipeChannels.Exists(ApiGroup.SmbV1));
        Assert.Throws<PlatformNotSupportedException>(() => CsiProxyConnector.Connect(new CsiProxyClientOptions { Mode = CsiProxyMode.InProcess }));
    }

    private static InProcessCsiProxy InProcess(out Mock<IFileSystemHost> files)
    {
        files = new Mock<IFileSystemHost>(MockBehavior.Strict);
        var options = new CsiProxyClientOptions { KubeletPath = ProxyServer.KubeletPath };
        options.WorkingDirs.Add(ProxyServer.WorkingDir);
        return new InProcessCsiProxy(
            options,
            Mock.Of<IDiskHost>(), Mock.Of<IVolumeHost>(), files.Object, Mock.Of<ISmbHost>(), Mock.Of<ISystemHost>());
    }
}
