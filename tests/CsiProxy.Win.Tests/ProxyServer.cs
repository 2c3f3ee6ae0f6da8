using System.Net.Sockets;
using Csi.Testing;
using CsiProxy.Win.Client;
using CsiProxy.Win.Hosts;
using CsiProxy.Win.Server;
using Grpc.Net.Client;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Logging;
using Moq;

namespace CsiProxy.Win.Tests;

/// <summary>
/// The real proxy (ProxyApp: interceptor, listener scopes, groups) on one unix socket per group, over Moq'd hosts,
/// and real gRPC clients generated from the same protos.
/// </summary>
public sealed class ProxyServer : IAsyncDisposable
{
    public const string KubeletPath = @"C:\var\lib\kubelet";
    public const string WorkingDir = @"D:\csi\work";

    private readonly string _directory;
    private readonly List<GrpcChannel> _channels = [];
    private WebApplication? _app;

    private ProxyServer(string directory, UnixSocketListeners listeners)
    {
        _directory = directory;
        Listeners = listeners;
        Proxy = new PipeCsiProxy(Channel);
    }

    public Mock<IDiskHost> Disks { get; } = new(MockBehavior.Strict);

    public Mock<IVolumeHost> Volumes { get; } = new(MockBehavior.Strict);

    public Mock<IFileSystemHost> Files { get; } = new(MockBehavior.Strict);

    public Mock<ISmbHost> Smb { get; } = new(MockBehavior.Strict);

    public Mock<ISystemHost> System { get; } = new(MockBehavior.Strict);

    public UnixSocketListeners Listeners { get; }

    /// <summary>Every log line the server wrote, at every level.</summary>
    public CapturedLogs Logs { get; } = new();

    /// <summary>The client library over the sockets, as a plugin would use it over the pipes.</summary>
    public PipeCsiProxy Proxy { get; }

    public static async Task<ProxyServer> StartAsync(Action<ProxyOptions>? configure = null)
    {
        var directory = Directory.CreateTempSubdirectory("csi-proxy-").FullName;
        var listeners = new UnixSocketListeners(directory);
        var options = new ProxyOptions { KubeletPath = KubeletPath };
        options.WorkingDirs.Add(WorkingDir);
        configure?.Invoke(options);
        var server = new ProxyServer(directory, listeners);
        var hosts = new ProxyHosts(server.Disks.Object, server.Volumes.Object, server.Files.Object, server.Smb.Object, server.System.Object);
        server._app = ProxyApp.Build(options, hosts, listeners, logging => logging.AddProvider(server.Logs).SetMinimumLevel(LogLevel.Trace));
        await server._app.StartAsync();
        return server;
    }

    /// <summary>A channel to one group's socket.</summary>
    public GrpcChannel Channel(ApiGroup group)
    {
        var path = Listeners.SocketPath(group);
        var channel = GrpcChannel.ForAddress("http://localhost", new GrpcChannelOptions
        {
            HttpHandler = new SocketsHttpHandler
            {
                ConnectCallback = async (_, token) =>
                {
                    var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
                    await socket.ConnectAsync(new UnixDomainSocketEndPoint(path), token);
                    return new NetworkStream(socket, ownsSocket: true);
                },
            },
            DisposeHttpClient = true,
        });
        _channels.Add(channel);
        return channel;
    }

    public async ValueTask DisposeAsync()
    {
        Proxy.Dispose();
        foreach (var channel in _channels)
        {
            channel.Dispose();
        }
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }
        Directory.Delete(_directory, recursive: true);
    }
}
