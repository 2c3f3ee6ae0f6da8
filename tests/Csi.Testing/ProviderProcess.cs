using Csi.Common;
using Grpc.Net.Client;
using SecretsStore.Provider.V1Alpha1;

namespace Csi.Testing;

/// <summary>A Secrets Store provider binary as a child process; started once its socket answers Version.</summary>
public sealed class ProviderProcess : IAsyncDisposable
{
    private readonly ChildProcess _process;
    private readonly GrpcChannel _channel;

    private ProviderProcess(ChildProcess process, GrpcChannel channel, string socketPath)
    {
        _process = process;
        _channel = channel;
        SocketPath = socketPath;
        Client = new CSIDriverProvider.CSIDriverProviderClient(channel);
    }

    public string SocketPath { get; }

    public CSIDriverProvider.CSIDriverProviderClient Client { get; }

    public int Pid => _process.Pid;

    public string Output => _process.Output;

    public static async Task<ProviderProcess> StartAsync(string binary, IEnumerable<string> arguments, string socketPath, string? workingDirectory = null, TimeSpan? timeout = null, IReadOnlyDictionary<string, string>? environment = null)
    {
        var channel = GrpcEndpoint.CreateChannel("unix://" + socketPath);
        var client = new CSIDriverProvider.CSIDriverProviderClient(channel);
        try
        {
            var process = await ChildProcess.StartServingAsync(binary, arguments, socketPath,
                () => client.VersionAsync(new VersionRequest { Version = "v1alpha1" }, deadline: DateTime.UtcNow.AddSeconds(5)).ResponseAsync,
                workingDirectory, timeout, environment).ConfigureAwait(false);
            return new ProviderProcess(process, channel, socketPath);
        }
        catch
        {
            channel.Dispose();
            throw;
        }
    }

    public long ReadRssKiB() => _process.ReadRssKiB();

    public Task<int> StopAsync() => _process.StopAsync();

    public async ValueTask DisposeAsync()
    {
        try
        {
            await _process.DisposeAsync().ConfigureAwait(false);
        }
        finally
        {
            _channel.Dispose();
        }
    }
}
