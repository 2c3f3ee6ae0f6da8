using Csi.Client;
using Csi.V1;

namespace Csi.Testing;

/// <summary>A CSI driver binary as a child process; it counts as started once its socket answers Identity.Probe.</summary>
public sealed class DriverProcess : IAsyncDisposable
{
    public static readonly TimeSpan DefaultStartTimeout = ChildProcess.DefaultStartTimeout;

    private readonly ChildProcess _process;

    private DriverProcess(ChildProcess process, string endpoint, CsiClient client)
    {
        _process = process;
        Endpoint = endpoint;
        Client = client;
    }

    public string Endpoint { get; }

    /// <summary>A client of the driver's CSI socket, for the life of this object.</summary>
    public CsiClient Client { get; }

    public int Pid => _process.Pid;

    /// <summary>From just before exec to the return of the first successful Probe.</summary>
    public TimeSpan StartupTime => _process.StartupTime;

    public bool HasExited => _process.HasExited;

    public string Output => _process.Output;

    /// <summary>Starts <paramref name="binary"/> and waits until <paramref name="endpoint"/> (unix:///path) answers Probe.</summary>
    public static async Task<DriverProcess> StartAsync(string binary, IEnumerable<string> arguments, string endpoint, string? workingDirectory = null, TimeSpan? timeout = null)
    {
        var socketPath = Csi.Common.GrpcEndpoint.ParseUnixSocketPath(endpoint);
        var client = CsiClient.Connect(endpoint);
        try
        {
            var process = await ChildProcess.StartServingAsync(binary, arguments, socketPath,
                () => client.Identity.ProbeAsync(new ProbeRequest(), deadline: DateTime.UtcNow.AddSeconds(5)).ResponseAsync,
                workingDirectory, timeout).ConfigureAwait(false);
            return new DriverProcess(process, endpoint, client);
        }
        catch
        {
            client.Dispose();
            throw;
        }
    }

    /// <summary>Stops the process (SIGSTOP): calls reach its socket and wait there unanswered, as with a hung driver.</summary>
    public void Pause() => Signal(Native.SigStop);

    /// <summary>Lets a paused process go on (SIGCONT): it answers the calls that waited.</summary>
    public void Resume() => Signal(Native.SigCont);

    private void Signal(int signal)
    {
        if (Native.Kill(Pid, signal) != 0)
        {
            throw new InvalidOperationException($"kill({Pid}, {signal}) failed: errno {System.Runtime.InteropServices.Marshal.GetLastPInvokeError()}");
        }
    }

    public long ReadRssKiB() => _process.ReadRssKiB();

    public long ReadPeakRssKiB() => _process.ReadPeakRssKiB();

    public TimeSpan ReadCpuTime() => _process.ReadCpuTime();

    public Task<int> StopAsync() => _process.StopAsync();

    public async ValueTask DisposeAsync()
    {
        try
        {
            await _process.DisposeAsync().ConfigureAwait(false);
        }
        finally
        {
            Client.Dispose();
        }
    }
}
