using System.Diagnostics;
using System.Globalization;
using System.Text;
using Csi.Client;
using Csi.V1;
using Grpc.Core;

namespace Csi.Testing;

/// <summary>
/// A driver binary running as a child process: its output is kept for assertion messages, and it counts as
/// started once its CSI socket answers Identity.Probe. Stopping sends SIGTERM, then SIGKILL after 10 s.
/// </summary>
public sealed class DriverProcess : IAsyncDisposable
{
    public static readonly TimeSpan DefaultStartTimeout = TimeSpan.FromSeconds(30);
    public static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(10);

    private static readonly TimeSpan PollDelay = TimeSpan.FromMilliseconds(2);

    private readonly Process _process;
    private readonly StringBuilder _stdout = new();
    private readonly StringBuilder _stderr = new();

    private DriverProcess(Process process, string endpoint)
    {
        _process = process;
        Endpoint = endpoint;
        Client = CsiClient.Connect(endpoint);
    }

    public string Endpoint { get; }

    /// <summary>A client of the driver's CSI socket, for the life of this object.</summary>
    public CsiClient Client { get; }

    public int Pid => _process.Id;

    /// <summary>From just before exec to the return of the first successful Probe.</summary>
    public TimeSpan StartupTime { get; private set; }

    public bool HasExited => _process.HasExited;

    public string StandardOutput => Snapshot(_stdout);

    public string StandardError => Snapshot(_stderr);

    /// <summary>Both streams, labelled, for assertion messages.</summary>
    public string Output => $"--- stdout ---\n{StandardOutput}--- stderr ---\n{StandardError}";

    /// <summary>
    /// Starts <paramref name="binary"/> in <paramref name="workingDirectory"/> (default: this process's) and waits until
    /// <paramref name="endpoint"/> (unix:///path) answers Probe.
    /// </summary>
    public static async Task<DriverProcess> StartAsync(string binary, IEnumerable<string> arguments, string endpoint, string? workingDirectory = null, TimeSpan? timeout = null)
    {
        ArgumentNullException.ThrowIfNull(arguments);
        var start = new ProcessStartInfo(binary)
        {
            WorkingDirectory = workingDirectory ?? string.Empty,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = false,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        var process = new Process { StartInfo = start };
        var driver = new DriverProcess(process, endpoint);
        process.OutputDataReceived += (_, e) => Append(driver._stdout, e.Data);
        process.ErrorDataReceived += (_, e) => Append(driver._stderr, e.Data);
        try
        {
            var clock = Stopwatch.StartNew();
            process.Start();
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            await driver.WaitForProbeAsync(clock, timeout ?? DefaultStartTimeout).ConfigureAwait(false);
            return driver;
        }
        catch
        {
            await driver.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>VmRSS from /proc/&lt;pid&gt;/status, in KiB.</summary>
    public long ReadRssKiB()
    {
        foreach (var line in File.ReadLines($"/proc/{Pid.ToString(CultureInfo.InvariantCulture)}/status"))
        {
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
            {
                var value = line["VmRSS:".Length..].Trim();
                return long.Parse(value[..value.IndexOf(' ', StringComparison.Ordinal)], CultureInfo.InvariantCulture);
            }
        }
        throw new InvalidOperationException($"/proc/{Pid}/status has no VmRSS line");
    }

    /// <summary>Sends SIGTERM and waits for the exit; kills the process if it is still running after 10 s. Returns the exit code.</summary>
    public async Task<int> StopAsync()
    {
        if (!_process.HasExited)
        {
            if (Native.Kill(_process.Id, Native.SigTerm) != 0 && !_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
            }
            using var timeout = new CancellationTokenSource(StopTimeout);
            try
            {
                await _process.WaitForExitAsync(timeout.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                _process.Kill(entireProcessTree: true);
                await _process.WaitForExitAsync().ConfigureAwait(false);
            }
        }
        // Drains the redirected streams to their end.
        await _process.WaitForExitAsync().ConfigureAwait(false);
        return _process.ExitCode;
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (IsStarted())
            {
                await StopAsync().ConfigureAwait(false);
            }
        }
        finally
        {
            Client.Dispose();
            _process.Dispose();
        }
    }

    private bool IsStarted()
    {
        try
        {
            _ = _process.Id;
            return true;
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }

    private async Task WaitForProbeAsync(Stopwatch clock, TimeSpan timeout)
    {
        var socketPath = Csi.Common.GrpcEndpoint.ParseUnixSocketPath(Endpoint);
        RpcException? last = null;
        while (clock.Elapsed < timeout)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"the driver exited with code {_process.ExitCode} before answering Probe\n{Output}");
            }
            if (File.Exists(socketPath))
            {
                try
                {
                    await Client.Identity.ProbeAsync(new ProbeRequest(), deadline: DateTime.UtcNow.AddSeconds(5)).ConfigureAwait(false);
                    StartupTime = clock.Elapsed;
                    return;
                }
                catch (RpcException e) when (e.StatusCode is StatusCode.Unavailable or StatusCode.DeadlineExceeded or StatusCode.Internal)
                {
                    last = e;
                }
            }
            await Task.Delay(PollDelay).ConfigureAwait(false);
        }
        throw new TimeoutException($"the driver did not answer Probe on {Endpoint} within {timeout.TotalSeconds:0}s (last error: {last?.Status.Detail ?? "no socket"})\n{Output}");
    }

    private static void Append(StringBuilder buffer, string? line)
    {
        if (line is null)
        {
            return;
        }
        lock (buffer)
        {
            buffer.Append(line).Append('\n');
        }
    }

    private static string Snapshot(StringBuilder buffer)
    {
        lock (buffer)
        {
            return buffer.ToString();
        }
    }
}
