using System.Diagnostics;
using System.Globalization;
using Csi.Common;
using Csi.Sandboxes.Kubernetes;
using Csi.Testing;

namespace Csi.Benchmarks;

/// <summary>
/// Every node binary as shipped (Native AOT), started again and again beside the smallest .NET gRPC server
/// (tests/tools/startup-probe): exec to the socket, exec to the first served RPC, the CPU time used until then (which
/// other load on the machine hardly moves), and at rest one second later RSS
/// (anonymous and file-backed) and threads. Starts go round-robin over the binaries, so a burst of load elsewhere on
/// the machine touches them all alike; the first round is untimed (page cache, this process's gRPC clients).
/// </summary>
internal sealed class BinariesBenchmark
{
    private static readonly TimeSpan Settle = TimeSpan.FromSeconds(1);

    private readonly int _starts;
    private readonly string? _before;
    private readonly TextWriter _progress;

    /// <param name="starts">Timed starts of each binary.</param>
    /// <param name="before">A folder of binaries from an earlier build, started beside today's under the same names, or null.</param>
    /// <param name="progress">Where progress lines go.</param>
    public BinariesBenchmark(int starts, string? before, TextWriter progress)
    {
        _starts = starts;
        _before = before;
        _progress = progress;
    }

    public async Task<IReadOnlyList<BinaryFigures>> RunAsync(CancellationToken cancellationToken)
    {
        await using var kubernetes = await KubernetesSandbox.StartAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
        using var directory = new TempDirectory("binaries-bench");
        var kubeconfig = directory.Combine("kubeconfig");
        await File.WriteAllTextAsync(kubeconfig, kubernetes.Kubeconfig(), cancellationToken).ConfigureAwait(false);
        using var layout = new StandaloneDriverLayout();
        var pool = directory.CreateDirectory("pool");

        Target[] targets =
        [
            new("startup-probe (baseline: bare gRPC server)", "tests/tools/startup-probe/StartupProbe.csproj", "startup-probe", Rpc.CsiProbe,
                socket => [socket]),
            new("secrets-store-csi-driver (standalone)", AotPublisher.DriverProject, AotPublisher.DriverBinaryName, Rpc.CsiProbe,
                socket => [.. Replace(layout.Arguments(), "--endpoint", "unix://" + socket)]),
            new("secrets-store-csi-driver (Kubernetes)", AotPublisher.DriverProject, AotPublisher.DriverBinaryName, Rpc.CsiProbe,
                socket => ["--endpoint", "unix://" + socket, "--provider-volume", layout.ProvidersDirectory, "--additional-provider-volume-paths=",
                    "--metrics-addr=" + FreeAddress(), "--nodeid", "bench-node", "--state-dir", directory.CreateDirectory("state-" + Path.GetFileName(socket)),
                    "--kubeconfig", kubeconfig, "--enable-secret-rotation"]),
            new("vault-csi-provider", AotPublisher.VaultProviderProject, AotPublisher.VaultProviderBinaryName, Rpc.ProviderVersion,
                socket => ["--endpoint", socket, "--health-addr=" + FreeAddress()]),
            new("secrets-store-csi-driver-provider-azure", "providers/Csi.Providers.Azure/Csi.Providers.Azure.csproj", "secrets-store-csi-driver-provider-azure", Rpc.ProviderVersion,
                socket => ["--endpoint", socket, "--health-addr=" + FreeAddress()]),
            new("secrets-store-csi-driver-provider-aws", "providers/Csi.Providers.Aws/Csi.Providers.Aws.csproj", "secrets-store-csi-driver-provider-aws", Rpc.ProviderVersion,
                socket => ["--endpoint", socket, "--health-addr=" + FreeAddress(), "--kubeconfig", kubeconfig]),
            new("local-volume-csi-driver (node + controller)", "driver/LocalVolume.Driver/LocalVolume.Driver.csproj", "local-volume-csi-driver", Rpc.CsiProbe,
                socket => ["--endpoint", "unix://" + socket, "--nodeid", "bench-node", "--mode", "all", "--metrics-addr=" + FreeAddress(),
                    "--pool", $"name=bench,dir={pool},size={1L << 30},layout=image,fstype=ext4"]),
        ];

        var published = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var target in targets.DistinctBy(t => t.Binary))
        {
            Progress($"publishing {target.Binary} with Native AOT");
            var publish = await AotPublisher.PublishAsync(target.Project, target.Binary).WaitAsync(cancellationToken).ConfigureAwait(false);
            if (!publish.Succeeded)
            {
                throw new InvalidOperationException($"dotnet publish of {target.Binary} failed with exit code {publish.ExitCode}:\n{publish.Log}");
            }
            published[target.Binary] = publish.BinaryPath;
        }
        var runs = new List<(Target Target, string Binary)>();
        foreach (var target in targets)
        {
            runs.Add((target, published[target.Binary]));
            if (_before is { } before && File.Exists(Path.Combine(before, target.Binary)))
            {
                runs.Add((target with { Name = target.Name + " [before]" }, Path.Combine(before, target.Binary)));
            }
        }

        var samples = runs.Select(_ => new List<StartSample>()).ToArray();
        Progress($"{_starts} timed starts of each of {runs.Count} binaries, round-robin, after one untimed round");
        for (var round = 0; round <= _starts; round++)
        {
            for (var t = 0; t < runs.Count; t++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var sample = await StartOnceAsync(runs[t].Target, runs[t].Binary, directory, $"{t}-{round}", cancellationToken).ConfigureAwait(false);
                if (round > 0)
                {
                    samples[t].Add(sample);
                }
            }
        }

        return runs.Select((run, t) => new BinaryFigures(
            run.Target.Name,
            new FileInfo(run.Binary).Length / (1024.0 * 1024),
            LatencyStats.Milliseconds(samples[t].Select(s => s.SocketBound).ToList()),
            LatencyStats.Milliseconds(samples[t].Select(s => s.FirstRpc).ToList()),
            LatencyStats.Milliseconds(samples[t].Select(s => s.Cpu).ToList()),
            Median.Of(samples[t].Select(s => s.Rss.RssKiB / 1024.0)),
            Median.Of(samples[t].Select(s => s.Rss.AnonKiB / 1024.0)),
            Median.Of(samples[t].Select(s => s.Rss.FileKiB / 1024.0)),
            (int)Median.Of(samples[t].Select(s => (double)s.Rss.Threads)))).ToArray();
    }

    private static async Task<StartSample> StartOnceAsync(Target target, string binary, TempDirectory directory, string run, CancellationToken cancellationToken)
    {
        var socket = directory.Combine($"{target.Binary}-{run}.sock");
        using var channel = GrpcEndpoint.CreateChannel("unix://" + socket);
        var csi = new Csi.V1.Identity.IdentityClient(channel);
        var provider = new SecretsStore.Provider.V1Alpha1.CSIDriverProvider.CSIDriverProviderClient(channel);
        var clock = Stopwatch.StartNew();
        TimeSpan? bound = null;
        var process = await ChildProcess.StartAsync(binary, target.Arguments(socket), async () =>
        {
            if (!File.Exists(socket))
            {
                return false;
            }
            bound ??= clock.Elapsed;
            var deadline = DateTime.UtcNow.AddSeconds(5);
            if (target.Ready == Rpc.CsiProbe)
            {
                await csi.ProbeAsync(new Csi.V1.ProbeRequest(), deadline: deadline).ResponseAsync.ConfigureAwait(false);
            }
            else
            {
                await provider.VersionAsync(new SecretsStore.Provider.V1Alpha1.VersionRequest { Version = "v1alpha1" }, deadline: deadline).ResponseAsync.ConfigureAwait(false);
            }
            return true;
        }, directory.Path).ConfigureAwait(false);
        await using (process.ConfigureAwait(false))
        {
            var cpu = ProcessCpu.OnCpu(process.Pid);
            await Task.Delay(Settle, cancellationToken).ConfigureAwait(false);
            var rss = ProcessMemory.Read(process.Pid);
            var exitCode = await process.StopAsync().ConfigureAwait(false);
            if (exitCode != 0)
            {
                throw new InvalidOperationException($"{target.Name} exited with code {exitCode} on SIGTERM\n{process.Output}");
            }
            return new StartSample(bound ?? process.StartupTime, process.StartupTime, cpu, rss);
        }
    }

    private static IEnumerable<string> Replace(IReadOnlyList<string> arguments, string flag, string value)
    {
        for (var i = 0; i < arguments.Count; i++)
        {
            yield return arguments[i];
            if (arguments[i] == flag && i + 1 < arguments.Count)
            {
                yield return value;
                i++;
            }
        }
    }

    private static string FreeAddress() => "127.0.0.1:" + LoopbackPort.GetFree().ToString(CultureInfo.InvariantCulture);

    private void Progress(string message) => _progress.WriteLine($"[{DateTime.Now:HH:mm:ss}] binaries: {message}");

    private enum Rpc
    {
        CsiProbe,
        ProviderVersion,
    }

    private sealed record Target(string Name, string Project, string Binary, Rpc Ready, Func<string, IEnumerable<string>> Arguments);

    private sealed record StartSample(TimeSpan SocketBound, TimeSpan FirstRpc, TimeSpan Cpu, ProcessMemory Rss);
}
