using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace Csi.TestProvider;

/// <summary>Serves a <see cref="TestProviderService"/> on a unix socket, in process.</summary>
public sealed class TestProviderServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private TestProviderServer(WebApplication app, string socketPath, TestProviderService service)
    {
        _app = app;
        SocketPath = socketPath;
        Service = service;
    }

    public string SocketPath { get; }

    public TestProviderService Service { get; }

    public static async Task<TestProviderServer> StartAsync(string socketPath, TestProviderService? service = null)
    {
        service ??= new TestProviderService();
        Csi.Common.UnixSocketFile.PrepareForBind(socketPath);
        var builder = Csi.Common.SlimHost.CreateBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.ListenUnixSocket(socketPath, l => l.Protocols = HttpProtocols.Http2));
        builder.Services.AddGrpc();
        builder.Services.AddSingleton(service);
        var app = builder.Build();
        app.MapGrpcService<TestProviderService>();
        await app.StartAsync().ConfigureAwait(false);
        return new TestProviderServer(app, socketPath, service);
    }

    /// <summary>Completes when the host stops, e.g. on SIGTERM or Ctrl+C.</summary>
    public Task WaitForShutdownAsync() => _app.WaitForShutdownAsync();

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync().ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
    }
}
