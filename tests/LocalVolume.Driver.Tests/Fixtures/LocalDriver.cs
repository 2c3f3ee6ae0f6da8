using Csi.Client;
using Csi.Testing;

namespace LocalVolume.Driver.Tests.Fixtures;

/// <summary>The driver binary running as its own process on a socket in a scratch directory.</summary>
public sealed class LocalDriver : IAsyncDisposable
{
    public const string NodeId = "test-node";
    public const string DriverName = "local.csi.csi-suite.dev";
    public const string TopologyKey = "topology." + DriverName + "/node";

    private readonly DriverProcess _process;

    private LocalDriver(DriverProcess process, string socketPath)
    {
        _process = process;
        SocketPath = socketPath;
    }

    public static string Binary => Path.Combine(AppContext.BaseDirectory, "local-volume-csi-driver");

    public string SocketPath { get; }

    public CsiClient Client => _process.Client;

    public string Output => _process.Output;

    /// <summary>Starts the driver with the given pools (each a --pool value) in the given mode.</summary>
    public static async Task<LocalDriver> StartAsync(string workDirectory, IEnumerable<string> pools, string mode = "all", string socketName = "csi.sock", IEnumerable<string>? extraArguments = null)
    {
        ArgumentNullException.ThrowIfNull(pools);
        var socketPath = Path.Combine(workDirectory, socketName);
        List<string> arguments = ["--endpoint", "unix://" + socketPath, "--nodeid", NodeId, "--mode", mode];
        foreach (var pool in pools)
        {
            arguments.Add("--pool");
            arguments.Add(pool);
        }
        arguments.AddRange(extraArguments ?? []);
        var process = await DriverProcess.StartAsync(Binary, arguments, "unix://" + socketPath).ConfigureAwait(false);
        return new LocalDriver(process, socketPath);
    }

    /// <summary>Stops the process (SIGTERM) and returns its exit code.</summary>
    public Task<int> StopAsync() => _process.StopAsync();

    public ValueTask DisposeAsync() => _process.DisposeAsync();
}
