using System.Net;
using Csi.Common.Flags;
using Csi.Sandboxes.Common;

namespace Csi.Sandboxes.Kubernetes.Server;

/// <summary>
/// Runs the Kubernetes API sandbox as a process for demos:
/// <c>dotnet run --project tests/Csi.Sandboxes.Kubernetes.Server -- --listen 127.0.0.1:0 --kubeconfig-out kubeconfig</c>.
/// Prints the address, then one line per request (never bodies or tokens) unless --quiet.
/// </summary>
internal static class Program
{
    private const string Name = "Csi.Sandboxes.Kubernetes.Server";

    public static async Task<int> Main(string[] args)
    {
        var listen = new IPEndPoint(IPAddress.Loopback, 0);
        var kubeconfigOut = string.Empty;
        bool noTls = false, emulate = false, quiet = false, help = false;
        var flags = new FlagSet(Name);
        flags.AddString("listen", "127.0.0.1:0", "address to listen on (ip:port or :port for loopback; port 0 picks one)", v => listen = SandboxProcess.ParseListen(v));
        flags.AddString("kubeconfig-out", string.Empty, "write a kubeconfig (server, CA, bearer token) here", v => kubeconfigOut = v);
        flags.AddBool("no-tls", false, "serve plain HTTP instead of HTTPS with an in-memory CA", v => noTls = v);
        flags.AddBool("emulate-volume-controllers", false, "bind claims and volumes, mark released volumes, as kube-controller-manager does", v => emulate = v);
        flags.AddBool("quiet", false, "do not log requests", v => quiet = v);
        flags.AddBool("help", false, "print this help and exit", v => help = v);
        var (parsed, exit) = CommandLineEntry.Parse(Name, () => { flags.ParseFlagsOnly(args); return flags; }, _ => help ? flags.Usage() : null, Console.Out, Console.Error);
        if (parsed is null)
        {
            return exit!.Value;
        }

        await using var sandbox = await KubernetesSandbox.StartAsync(new KubernetesSandboxOptions
        {
            ListenAddress = listen.Address,
            Port = listen.Port,
            UseTls = !noTls,
            EmulateVolumeControllers = emulate,
            RequestLogWriter = quiet ? null : Console.Out,
        }).ConfigureAwait(false);

        if (kubeconfigOut.Length > 0)
        {
            // Written whole under a temporary name, then renamed: a reader never sees half a file.
            await File.WriteAllTextAsync(kubeconfigOut + ".tmp", sandbox.Kubeconfig()).ConfigureAwait(false);
            File.Move(kubeconfigOut + ".tmp", kubeconfigOut, overwrite: true);
        }

        Console.WriteLine($"Kubernetes API sandbox listening on {sandbox.Address}");
        if (kubeconfigOut.Length > 0)
        {
            Console.WriteLine($"Kubeconfig written to {kubeconfigOut}");
        }

        Console.WriteLine("Press Ctrl+C to stop.");
        await SandboxProcess.WaitForStopSignalAsync().ConfigureAwait(false);
        Console.WriteLine("Stopping.");
        return 0;
    }
}
