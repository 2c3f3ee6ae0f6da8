using System.Diagnostics;
using System.Text.Json.Nodes;
using System.Threading.Channels;

namespace Csi.Sandboxes.Kubernetes.Tests;

/// <summary>A node script that prints one JSON object per line and reads commands from stdin.</summary>
internal sealed class NodeScript : IAsyncDisposable
{
    private readonly Process _process;
    private readonly Channel<JsonObject> _lines = Channel.CreateUnbounded<JsonObject>();
    private readonly System.Text.StringBuilder _stderr = new();

    public NodeScript(string script, string kubeconfig, params string[] args)
    {
        _process = KubeTools.Start("node", [script, .. args], kubeconfig);
        _process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is null)
            {
                _lines.Writer.TryComplete();
            }
            else if (e.Data.StartsWith('{'))
            {
                _lines.Writer.TryWrite(JsonNode.Parse(e.Data)!.AsObject());
            }
        };
        _process.ErrorDataReceived += (_, e) =>
        {
            lock (_stderr)
            {
                _stderr.AppendLine(e.Data);
            }
        };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public string Stderr
    {
        get
        {
            lock (_stderr)
            {
                return _stderr.ToString();
            }
        }
    }

    /// <summary>Reads lines until one has <c>event</c> = <paramref name="name"/> (and matches <paramref name="where"/>).</summary>
    public async Task<JsonObject> WaitForAsync(string name, Func<JsonObject, bool>? where = null)
    {
        using var cts = new CancellationTokenSource(KubeTools.Patience);
        try
        {
            while (await _lines.Reader.WaitToReadAsync(cts.Token))
            {
                while (_lines.Reader.TryRead(out var line))
                {
                    if (line["event"]?.GetValue<string>() == name && (where is null || where(line)))
                    {
                        return line;
                    }
                }
            }
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"no \"{name}\" line within {KubeTools.Patience}; stderr: {Stderr}");
        }

        throw new InvalidOperationException($"the script ended before a \"{name}\" line; stderr: {Stderr}");
    }

    public Task SendAsync(string command) => _process.StandardInput.WriteLineAsync(command);

    /// <summary>Waits for the script to exit by itself and returns its exit code.</summary>
    public async Task<int> WaitForExitAsync()
    {
        using var cts = new CancellationTokenSource(KubeTools.Patience);
        await _process.WaitForExitAsync(cts.Token);
        return _process.ExitCode;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }
}
