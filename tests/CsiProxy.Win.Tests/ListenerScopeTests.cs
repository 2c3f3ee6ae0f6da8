using System.Net;
using System.Net.Sockets;
using CsiProxy.Win.Api.DiskV1;
using CsiProxy.Win.Api.FilesystemV1;
using Grpc.Core;
using Moq;
using DiskGrpc = CsiProxy.Win.Api.DiskV1.Disk;
using FilesystemGrpc = CsiProxy.Win.Api.FilesystemV1.Filesystem;

namespace CsiProxy.Win.Tests;

/// <summary>One group per pipe: what a pod can reach is decided by which pipes it was given.</summary>
public sealed class ListenerScopeTests
{
    [Fact]
    public async Task Each_socket_serves_its_own_group_only()
    {
        await using var server = await ProxyServer.StartAsync();
        server.Disks.Setup(h => h.IsOnline(1)).Returns(true);
        var onFilesystemPipe = new DiskGrpc.DiskClient(server.Channel(ApiGroup.FilesystemV1));
        var onDiskPipe = new DiskGrpc.DiskClient(server.Channel(ApiGroup.DiskV1));
        var filesystemOnDiskPipe = new FilesystemGrpc.FilesystemClient(server.Channel(ApiGroup.DiskV1));

        var refused = await Assert.ThrowsAsync<RpcException>(() => onFilesystemPipe.GetDiskStateAsync(new GetDiskStateRequest { DiskNumber = 1 }).ResponseAsync);
        var refusedToo = await Assert.ThrowsAsync<RpcException>(() => filesystemOnDiskPipe.PathExistsAsync(new PathExistsRequest { Path = @"C:\var\lib\kubelet\x" }).ResponseAsync);
        var served = await onDiskPipe.GetDiskStateAsync(new GetDiskStateRequest { DiskNumber = 1 });

        Assert.Equal(StatusCode.Unimplemented, refused.StatusCode);
        Assert.Equal(StatusCode.Unimplemented, refusedToo.StatusCode);
        Assert.True(served.IsOnline);
        server.Disks.Verify(h => h.IsOnline(1), Times.Once);
    }

    [Fact]
    public async Task Every_group_listens_on_a_socket_named_as_its_pipe()
    {
        await using var server = await ProxyServer.StartAsync();

        foreach (var group in ApiGroup.Served)
        {
            var path = server.Listeners.SocketPath(group);
            Assert.Equal(group.PipeName + ".sock", Path.GetFileName(path));
            Assert.True(File.Exists(path), $"no socket for {group}");
        }
    }

    [Fact]
    public async Task Metrics_count_each_call_by_method_and_code_under_upstreams_names()
    {
        var port = FreePort();
        await using var server = await ProxyServer.StartAsync(o => o.MetricsEndPoint = new IPEndPoint(IPAddress.Loopback, port));
        server.Disks.Setup(h => h.IsOnline(1)).Returns(true);
        server.Disks.Setup(h => h.GetSize(2)).Throws(new ProxyException(ProxyErrorCode.NotFound, "disk_number: no disk 2"));
        var disk = new DiskGrpc.DiskClient(server.Channel(ApiGroup.DiskV1));
        await disk.GetDiskStateAsync(new GetDiskStateRequest { DiskNumber = 1 });
        await Assert.ThrowsAsync<RpcException>(() => disk.GetDiskStatsAsync(new GetDiskStatsRequest { DiskNumber = 2 }).ResponseAsync);

        using var http = new HttpClient();
        var text = await http.GetStringAsync($"http://127.0.0.1:{port}/metrics");
        var grpcOnMetricsPort = await http.GetAsync($"http://127.0.0.1:{port}/v1.Disk/Rescan");

        Assert.Contains("grpc_server_handled_total{grpc_type=\"unary\",grpc_service=\"v1.Disk\",grpc_method=\"GetDiskState\",grpc_code=\"OK\"} 1", text);
        Assert.Contains("grpc_server_handled_total{grpc_type=\"unary\",grpc_service=\"v1.Disk\",grpc_method=\"GetDiskStats\",grpc_code=\"NotFound\"} 1", text);
        Assert.Contains("grpc_server_handling_seconds_count{grpc_type=\"unary\",grpc_service=\"v1.Disk\",grpc_method=\"GetDiskState\"} 1", text);
        Assert.NotEqual(HttpStatusCode.OK, grpcOnMetricsPort.StatusCode);
        // The same text through the Prometheus project's own parser.
        var families = Csi.Testing.PrometheusText.Parse(text);
        Assert.Equal("counter", Csi.Testing.PrometheusText.Family(families, "grpc_server_handled").Type);
        var seconds = Csi.Testing.PrometheusText.Family(families, "grpc_server_handling_seconds");
        Assert.Equal("histogram", seconds.Type);
        Assert.Contains(seconds.Samples, s => s.Name == "grpc_server_handling_seconds_count" && s.Labels["grpc_method"] == "GetDiskState" && s.Value == 1);
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
