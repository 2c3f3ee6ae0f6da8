using System.Net;
using System.Runtime.InteropServices;

namespace Csi.Sandboxes.Kubernetes.Server;

/// <summary>
/// Runs the Kubernetes API sandbox as a process for demos:
/// <c>dotnet run --project tests/Csi.Sandboxes.Kubernetes.Server -- --listen 127.0.0.1:0 --kubeconfig-out kubeconfig</c>.
/// Prints the address, then one line per request (never bodies or tokens) unless --quiet.
/// </summary>
internal static class Program
{
    private const string Usage = """
        Usage: Csi.Sandboxes.Kubernetes.Server [options]
          --listen <ip:port>              address to listen on (default 127.0.0.1:0; port 0 picks one)
          --kubeconfig-out <file>         write a kubeconfig (server, CA, bearer token) here
          --no-tls                        serve plain HTTP instead of HTTPS with an in-memory CA
          --emulate-volume-controllers    bind claims and volumes, mark released volumes, as kube-controller-manager does
          --quiet                         do not log requests
        """;

    public static async Task<int> Main(string[] args)
    {
        var listen = new IPEndPoint(IPAddress.Loopback, 0);
        string? kubeconfigOut = null;
        bool tls = true, emulate = false, quiet = false;

        for (var i = 0; i < args.Length; i++)
        {
            string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value");
            switch (args[i])
            {
                case "--listen":
                    var value = Next();
                    if (!IPEndPoint.TryParse(value.StartsWith(':') ? "127.0.0.1" + value : value, out var parsed))
                    {
                        await Console.Error.WriteLineAsync($"invalid --listen address \"{value}\"").ConfigureAwait(false);
                        return 2;
                    }

                    listen = parsed;
                    break;
                case "--kubeconfig-out": kubeconfigOut = Next(); break;
                case "--no-tls": tls = false; break;
                case "--emulate-volume-controllers": emulate = true; break;
                case "--quiet": quiet = true; break;
                case "-h" or "--help":
                    Console.WriteLine(Usage);
                    return 0;
                default:
                    await Console.Error.WriteLineAsync($"unknown argument \"{args[i]}\"\n{Usage}").ConfigureAwait(false);
                    return 2;
            }
        }

        await using var sandbox = await KubernetesSandbox.StartAsync(new KubernetesSandboxOptions
        {
            ListenAddress = listen.Address,
            Port = listen.Port,
            UseTls = tls,
            EmulateVolumeControllers = emulate,
            RequestLogWriter = quiet ? null : Console.Out,
        }).ConfigureAwait(false);

        if (kubeconfigOut is not null)
        {
            // Written whole under a temporary name, then renamed: a reader never sees half a file.
            await File.WriteAllTextAsync(kubeconfigOut + ".tmp", sandbox.Kubeconfig()).ConfigureAwait(false);
            File.Move(kubeconfigOut + ".tmp", kubeconfigOut, overwrite: true);
        }

        Console.WriteLine($"Kubernetes API sandbox listening on {sandbox.Address}");
        if (kubeconfigOut is not null)
        {
            Console.WriteLine($"Kubeconfig written to {kubeconfigOut}");
        }

        Console.WriteLine("Press Ctrl+C to stop.");

        var stop = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        void OnSignal(PosixSignalContext context)
        {
            context.Cancel = true;
            stop.TrySetResult();
        }

        using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, OnSignal);
        using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal);
        await stop.Task.ConfigureAwait(false);
        Console.WriteLine("Stopping.");
        return 0;
    }
}
