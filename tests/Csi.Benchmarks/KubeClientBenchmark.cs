using System.Text.Json.Nodes;
using Csi.Sandboxes.Kubernetes;
using Csi.Testing;

namespace Csi.Benchmarks;

/// <summary>
/// The suite's Kubernetes client against KubernetesClient.Aot, each in a Native AOT probe that lists and watches
/// every PersistentVolumeClaim (tests/tools/kube-client-probes): binary size, exec to synced cache, and RSS once
/// synced, with no claims and with 1,000; starts of the two probes interleaved so both see the same machine.
/// </summary>
internal sealed class KubeClientBenchmark
{
    private static readonly int[] ClaimCounts = [0, 1000];
    private static readonly TimeSpan Settle = TimeSpan.FromSeconds(2);

    private static readonly (string Name, string Project, string Binary)[] Probes =
    [
        ("suite (common/Csi.Kubernetes)", "tests/tools/kube-client-probes/suite/KubeClientProbe.Suite.csproj", "kube-client-probe-suite"),
        ("KubernetesClient.Aot 21.0.8", "tests/tools/kube-client-probes/kubernetesclient/KubeClientProbe.KubernetesClient.csproj", "kube-client-probe-kubernetesclient"),
    ];

    private readonly int _starts;
    private readonly TextWriter _progress;

    public KubeClientBenchmark(int starts, TextWriter progress)
    {
        _starts = starts;
        _progress = progress;
    }

    public async Task<IReadOnlyList<KubeClientFigures>> RunAsync(CancellationToken cancellationToken)
    {
        var binaries = new List<string>();
        foreach (var probe in Probes)
        {
            _progress.WriteLine($"kubeclient: publishing {probe.Binary} with Native AOT");
            var publish = await AotPublisher.PublishAsync(probe.Project, probe.Binary).WaitAsync(cancellationToken).ConfigureAwait(false);
            if (!publish.Succeeded)
            {
                throw new InvalidOperationException($"dotnet publish of {probe.Binary} failed with exit code {publish.ExitCode}:\n{publish.Log}");
            }
            binaries.Add(publish.BinaryPath);
        }

        await using var sandbox = await KubernetesSandbox.StartAsync(new KubernetesSandboxOptions { UseTls = true }, cancellationToken).ConfigureAwait(false);
        using var directory = new TempDirectory("kubeclient-bench");
        var kubeconfig = Path.Combine(directory.Path, "kubeconfig");
        await File.WriteAllTextAsync(kubeconfig, sandbox.Kubeconfig(), cancellationToken).ConfigureAwait(false);

        var synced = Probes.Select(_ => ClaimCounts.ToDictionary(c => c, _ => new List<TimeSpan>())).ToArray();
        var rss = Probes.Select(_ => ClaimCounts.ToDictionary(c => c, _ => new List<double>())).ToArray();
        var seeded = 0;
        foreach (var claims in ClaimCounts)
        {
            sandbox.SeedMany(Enumerable.Range(seeded, claims - seeded).Select(Claim));
            seeded = claims;
            for (var start = 0; start < _starts; start++)
            {
                for (var p = 0; p < Probes.Length; p++)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    var ready = Path.Combine(directory.Path, $"ready-{p}-{claims}-{start}");
                    var process = await ChildProcess.StartAsync(binaries[p], [kubeconfig, ready], () => Task.FromResult(File.Exists(ready)), directory.Path, TimeSpan.FromSeconds(60)).ConfigureAwait(false);
                    await using (process.ConfigureAwait(false))
                    {
                        var cached = int.Parse(await File.ReadAllTextAsync(ready, cancellationToken).ConfigureAwait(false), System.Globalization.CultureInfo.InvariantCulture);
                        if (cached != claims)
                        {
                            throw new InvalidOperationException($"{Probes[p].Binary} cached {cached} claims, expected {claims}");
                        }
                        synced[p][claims].Add(process.StartupTime);
                        await Task.Delay(Settle, cancellationToken).ConfigureAwait(false);
                        rss[p][claims].Add(process.ReadRssKiB() / 1024.0);
                    }
                }
            }
            _progress.WriteLine($"kubeclient: {claims} claims measured");
        }

        return Probes.Select((probe, p) => new KubeClientFigures(
            probe.Name,
            new FileInfo(binaries[p]).Length,
            ClaimCounts.Select(c =>
            {
                var sorted = rss[p][c].Order().ToArray();
                return new KubeClientRun(c, LatencyStats.Milliseconds(synced[p][c]), sorted[0], sorted[sorted.Length / 2], sorted[^1]);
            }).ToArray())).ToArray();
    }

    /// <summary>A claim as a user writes it, in one of ten namespaces.</summary>
    private static JsonObject Claim(int i) => new()
    {
        ["apiVersion"] = "v1",
        ["kind"] = "PersistentVolumeClaim",
        ["metadata"] = new JsonObject
        {
            ["name"] = $"data-{i}",
            ["namespace"] = $"team-{i % 10}",
            ["labels"] = new JsonObject { ["app"] = "bench" },
            ["annotations"] = new JsonObject { ["volume.kubernetes.io/storage-provisioner"] = "local.csi.csi-suite.dev" },
        },
        ["spec"] = new JsonObject
        {
            ["accessModes"] = new JsonArray("ReadWriteOnce"),
            ["storageClassName"] = "local",
            ["resources"] = new JsonObject { ["requests"] = new JsonObject { ["storage"] = "1Gi" } },
        },
    };
}
