using Csi.Common;
using Csi.ProviderHost;
using Grpc.Net.Client;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Logging;
using SecretsStore.Provider.V1Alpha1;

namespace Csi.Testing;

/// <summary>A provider in process on the real host and a real unix socket, with a gRPC client that calls it as the driver does.</summary>
public sealed class HostedProvider : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly GrpcChannel _channel;

    private HostedProvider(WebApplication app, GrpcChannel channel)
    {
        _app = app;
        _channel = channel;
        Client = new CSIDriverProvider.CSIDriverProviderClient(channel);
    }

    public CSIDriverProvider.CSIDriverProviderClient Client { get; }

    /// <summary>Builds and starts the host; everything logged at debug and above also goes to <paramref name="logs"/>.</summary>
    public static async Task<HostedProvider> StartAsync(SecretsProvider provider, ProviderHostOptions options, CapturedLogs logs)
    {
        ArgumentNullException.ThrowIfNull(provider);
        ArgumentNullException.ThrowIfNull(options);
        var app = SecretsProviderHost.Build(provider, options, logging => logging.AddProvider(logs).SetMinimumLevel(LogLevel.Debug));
        await app.StartAsync().ConfigureAwait(false);
        return new HostedProvider(app, GrpcEndpoint.CreateChannel("unix://" + options.SocketPath(provider.Name)));
    }

    public async ValueTask DisposeAsync()
    {
        _channel.Dispose();
        await _app.DisposeAsync().ConfigureAwait(false);
    }
}
