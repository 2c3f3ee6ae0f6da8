using System.Net;
using System.Runtime.InteropServices;
using Csi.Common.Flags;

namespace Csi.Sandboxes.Common;

/// <summary>What a sandbox run as a process (for demos) needs besides its flags: its listen address and its end.</summary>
public static class SandboxProcess
{
    /// <summary>"ip:port" or ":port"; an empty host is loopback, so a sandbox never listens beyond this machine unless told to.</summary>
    public static IPEndPoint ParseListen(string value)
        => IPEndPoint.TryParse(value.StartsWith(':') ? "127.0.0.1" + value : value, out var parsed)
            ? parsed
            : throw new FlagException($"--listen: \"{value}\" is not an address; use ip:port or :port");

    /// <summary>Returns on SIGINT or SIGTERM.</summary>
    public static async Task WaitForStopSignalAsync()
    {
        var stop = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        void OnSignal(PosixSignalContext context)
        {
            context.Cancel = true;
            stop.TrySetResult();
        }

        using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, OnSignal);
        using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal);
        await stop.Task.ConfigureAwait(false);
    }
}
