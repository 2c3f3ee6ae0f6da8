using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace Csi.Testing;

/// <summary>
/// A binary of the suite running as a child process: output kept for assertion messages, started once a
/// readiness check passes, stopped with SIGTERM and then SIGKILL after 10 s.
/// </summary>
public sealed class ChildProcess : IAsyncDisposable
{
    public static readonly TimeSpan DefaultStartTimeout = TimeSpan.FromSeconds(30);
    public static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(10);

    private static readonly TimeSpan PollDelay = TimeSpan.FromMilliseconds(2);

    private readonly Process _process;
    private readonly string _name;
    private readonly StringBuilder _stdout = new();
    private readonly StringBuilder _stderr = new();

    private ChildProcess(Process process, string name)
    {
        _process = process;
        _name = name;
    }

    public int Pid => _process.Id;

    /// <summary>From just before exec to the first readiness check that passed.</summary>
    public TimeSpan StartupTime { get; private set; }

    public bool HasExited => _process.HasExited;

    public string StandardOutput => Snapshot(_stdout);

    public string StandardError => Snapshot(_stderr);

    /// <summary>Both streams, labelled, for assertion messages.</summary>
    public string Output => $"--- {_name} stdout ---\n{StandardOutput}--- {_name} stderr ---\n{StandardError}";

    /// <summary>
    /// Starts <paramref name="binary"/> and polls <paramref name="isReady"/> (which returns false or throws while the
    /// process is not serving yet) until it returns true.
    /// </summary>
    public static async Task<ChildProcess> StartAsync(string binary, IEnumerable<string> arguments, Func<Task<bool>> isReady, string? workingDirectory = null, TimeSpan? timeout = null, IReadOnlyDictionary<string, string>? environment = null)
    {
        ArgumentNullException.ThrowIfNull(arguments);
        ArgumentNullException.ThrowIfNull(isReady);
        var start = new ProcessStartInfo(binary)
        {
            WorkingDirectory = workingDirectory ?? string.Empty,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
        }

        var child = new ChildProcess(new Process { StartInfo = start }, Path.GetFileName(binary));
        child._process.OutputDataReceived += (_, e) => Append(child._stdout, e.Data);
        child._process.ErrorDataReceived += (_, e) => Append(child._stderr, e.Data);
        try
        {
            var clock = Stopwatch.StartNew();
            child._process.Start();
            child._process.BeginOutputReadLine();
            child._process.BeginErrorReadLine();
            await child.WaitUntilReadyAsync(isReady, clock, timeout ?? DefaultStartTimeout).ConfigureAwait(false);
            return child;
        }
        catch
        {
            await child.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Starts a server binary: ready once <paramref name="socketPath"/> exists and <paramref name="call"/> succeeds on it.</summary>
    public static Task<ChildProcess> StartServingAsync(string binary, IEnumerable<string> arguments, string socketPath, Func<Task> call, string? workingDirectory = null, TimeSpan? timeout = null, IReadOnlyDictionary<string, string>? environment = null)
    {
        ArgumentNullException.ThrowIfNull(call);
        return StartAsync(binary, arguments, async () =>
        {
            if (!File.Exists(socketPath))
            {
                return false;
            }
            await call().ConfigureAwait(false);
            return true;
        }, workingDirectory, timeout, environment);
    }

    /// <summary>VmRSS from /proc/&lt;pid&gt;/status, in KiB.</summary>
    public long ReadRssKiB() => ProcessMemory.Read(Pid).RssKiB;

    /// <summary>VmHWM (the highest RSS since the start) from /proc/&lt;pid&gt;/status, in KiB.</summary>
    public long ReadPeakRssKiB() => ProcessMemory.Read(Pid).PeakRssKiB;

    /// <summary>User plus system CPU time so far, from /proc/&lt;pid&gt;/stat (utime and stime, in USER_HZ ticks of 10 ms).</summary>
    public TimeSpan ReadCpuTime()
    {
        var stat = File.ReadAllText($"/proc/{Pid.ToString(CultureInfo.InvariantCulture)}/stat");
        // The command name may hold spaces and parentheses; the fields after the last ')' start at field 3 (state).
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        var ticks = long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
        return TimeSpan.FromMilliseconds(ticks * 10);
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

    private async Task WaitUntilReadyAsync(Func<Task<bool>> isReady, Stopwatch clock, TimeSpan timeout)
    {
        Exception? last = null;
        while (clock.Elapsed < timeout)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"{_name} exited with code {_process.ExitCode} before it was ready\n{Output}");
            }
            try
            {
                if (await isReady().ConfigureAwait(false))
                {
                    StartupTime = clock.Elapsed;
                    return;
                }
            }
            catch (Exception e) when (e is Grpc.Core.RpcException or IOException or HttpRequestException)
            {
                last = e;
            }
            await Task.Delay(PollDelay).ConfigureAwait(false);
        }
        throw new TimeoutException($"{_name} was not ready within {timeout.TotalSeconds:0}s (last error: {last?.Message ?? "none"})\n{Output}");
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
