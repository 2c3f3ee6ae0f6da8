using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using Csi.Client;
using Csi.Sandboxes.Kubernetes;
using Csi.Testing;
using Csi.V1;

namespace Csi.Benchmarks;

/// <summary>
/// csi-provisioner (the Native AOT binary) as a process against the API sandbox (volume controllers emulated) and
/// the local-volume driver in controller mode on an image pool held in a tmpfs: claims created at once, time until
/// all are Bound and until all their volumes are gone again, the provisioner's API requests per claim by verb (from
/// the sandbox's request log), its CreateVolume calls (from its /metrics) and its RSS. Once without client-side
/// throttling and once at upstream's default --kube-api-qps 5 --kube-api-burst 10; each run gets a fresh sandbox,
/// driver, pool and provisioner.
/// </summary>
internal sealed class ProvisionerBenchmark
{
    public const double UpstreamQps = 5;
    public const int UpstreamBurst = 10;

    private const string Project = "provisioner/Csi.Provisioner/Csi.Provisioner.csproj";
    private const string BinaryName = "csi-provisioner";
    private const string DriverName = "local.csi.csi-suite.dev";
    private const string TopologyKey = "topology." + DriverName + "/node";
    private const string NodeName = "bench-node";
    private const string ClassName = "bench";
    private const string Namespace = "default";
    private const string ClaimSize = "16Mi";
    private const long VolumeBytes = 16L << 20;
    private const double UnthrottledQps = 100_000;

    private static readonly string[] InformerResources = ["persistentvolumeclaims", "persistentvolumes", "storageclasses", "csinodes", "nodes"];
    private static readonly TimeSpan Settle = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(20);

    private readonly int _claims;
    private readonly int _throttledClaims;
    private readonly TextWriter _progress;

    public ProvisionerBenchmark(int claims, int throttledClaims, TextWriter progress)
    {
        _claims = claims;
        _throttledClaims = throttledClaims;
        _progress = progress;
    }

    private static string DriverBinary => Path.Combine(AppContext.BaseDirectory, "local-volume-csi-driver");

    public async Task<IReadOnlyList<ProvisionerFigures>> RunAsync(CancellationToken cancellationToken)
    {
        Progress($"provisioner: publishing {BinaryName} with Native AOT");
        var publish = await AotPublisher.PublishAsync(Project, BinaryName).WaitAsync(cancellationToken).ConfigureAwait(false);
        if (!publish.Succeeded)
        {
            throw new InvalidOperationException($"dotnet publish of {BinaryName} failed with exit code {publish.ExitCode}:\n{publish.Log}");
        }
        return
        [
            await RunOnceAsync(publish.BinaryPath, "none (--kube-api-qps 100000)", UnthrottledQps, (int)UnthrottledQps, _claims, cancellationToken).ConfigureAwait(false),
            await RunOnceAsync(publish.BinaryPath, "--kube-api-qps 5 --kube-api-burst 10", UpstreamQps, UpstreamBurst, _throttledClaims, cancellationToken).ConfigureAwait(false),
        ];
    }

    private async Task<ProvisionerFigures> RunOnceAsync(string binary, string limit, double qps, int burst, int claims, CancellationToken cancellationToken)
    {
        Progress($"provisioner, client limit {limit}: starting the API sandbox, the driver and the provisioner");
        await using var sandbox = await KubernetesSandbox.StartAsync(new KubernetesSandboxOptions { UseTls = true, EmulateVolumeControllers = true }, cancellationToken).ConfigureAwait(false);
        SeedCluster(sandbox);
        using var pool = StoragePool.ImagesInMemory();
        var work = pool.Work;
        var kubeconfig = Path.Combine(work, "kubeconfig");
        await File.WriteAllTextAsync(kubeconfig, sandbox.Kubeconfig(), cancellationToken).ConfigureAwait(false);
        var socket = Path.Combine(work, "csi.sock");
        var driver = await DriverProcess.StartAsync(DriverBinary,
            ["--endpoint", "unix://" + socket, "--nodeid", NodeName, "--mode", "controller", "--pool", pool.Flag("main", claims * VolumeBytes)],
            "unix://" + socket, work).ConfigureAwait(false);
        await using (driver.ConfigureAwait(false))
        {
            var metricsAddress = "127.0.0.1:" + LoopbackPort.GetFree().ToString(CultureInfo.InvariantCulture);
            string[] arguments =
            [
                "--csi-address", socket, "--kubeconfig", kubeconfig, "--http-endpoint", metricsAddress,
                "--kube-api-qps", qps.ToString(CultureInfo.InvariantCulture), "--kube-api-burst", burst.ToString(CultureInfo.InvariantCulture),
            ];
            // Ready once every informer watches: the lists are done and new claims reach the work queue.
            var provisioner = await ChildProcess.StartAsync(binary, arguments,
                () => Task.FromResult(InformerResources.All(r => sandbox.ActiveWatchCount(r) > 0)), work, TimeSpan.FromSeconds(60)).ConfigureAwait(false);
            await using (provisioner.ConfigureAwait(false))
            {
                await Task.Delay(Settle, cancellationToken).ConfigureAwait(false);
                var rssIdle = provisioner.ReadRssKiB() / 1024.0;

                Progress($"provisioner, client limit {limit}: {claims} claims created at once, waiting until all are Bound");
                var provisionStart = DateTimeOffset.UtcNow;
                var cpuStart = CpuTimes(provisioner, driver);
                var clock = Stopwatch.StartNew();
                sandbox.SeedMany(Enumerable.Range(0, claims).Select(Claim));
                await WaitAsync(() => sandbox.Count("v1", "PersistentVolume") >= claims, "a PersistentVolume per claim", claims, qps, provisioner, cancellationToken).ConfigureAwait(false);
                await WaitAsync(() => BoundClaims(sandbox) == claims, "every claim to be Bound", claims, qps, provisioner, cancellationToken).ConfigureAwait(false);
                var bound = clock.Elapsed;
                var provisionEnd = DateTimeOffset.UtcNow;
                var cpuBound = CpuTimes(provisioner, driver);
                var rssBound = provisioner.ReadRssKiB() / 1024.0;
                await CheckBoundOnceAsync(sandbox, driver.Client, claims, cancellationToken).ConfigureAwait(false);
                var (createCalls, createSeconds) = await ReadCreateVolumeMetricsAsync(metricsAddress, cancellationToken).ConfigureAwait(false);

                Progress($"provisioner, client limit {limit}: deleting the claims, waiting until every volume is gone");
                clock.Restart();
                for (var i = 0; i < claims; i++)
                {
                    sandbox.Delete("v1", "PersistentVolumeClaim", ClaimName(i), Namespace);
                }
                await WaitAsync(() => sandbox.Count("v1", "PersistentVolume") == 0, "every PersistentVolume to be deleted", claims, qps, provisioner, cancellationToken).ConfigureAwait(false);
                var deleted = clock.Elapsed;
                var deleteEnd = DateTimeOffset.UtcNow;
                var cpuDeleted = CpuTimes(provisioner, driver);
                var left = (await driver.Client.Controller.ListVolumesAsync(new ListVolumesRequest(), cancellationToken: cancellationToken)).Entries.Count;
                if (left != 0)
                {
                    throw new InvalidOperationException($"{left} volumes are left in the driver after every PersistentVolume was deleted");
                }
                var rssPeak = provisioner.ReadPeakRssKiB() / 1024.0;
                var rssAfter = provisioner.ReadRssKiB() / 1024.0;

                var log = sandbox.RequestLog.Where(e => e.UserAgent?.StartsWith(BinaryName + "/", StringComparison.Ordinal) == true).ToArray();
                var provisionRequests = PerClaim(log.Where(e => e.Time >= provisionStart && e.Time <= provisionEnd), claims);
                var deleteRequests = PerClaim(log.Where(e => e.Time > provisionEnd && e.Time <= deleteEnd), claims);

                var exitCode = await provisioner.StopAsync().ConfigureAwait(false);
                if (exitCode != 0)
                {
                    // 137: still flushing its queued events (at QPS 5, one every 200 ms at best) when the stop timeout ran out.
                    var output = provisioner.StandardOutput + provisioner.StandardError;
                    Progress($"warning: {BinaryName} exited with code {exitCode} on SIGTERM; its log ends with:\n{output[Math.Max(0, output.Length - 2000)..]}");
                }
                var eventsDropped = provisioner.StandardOutput.Split('\n').Count(line => line.Contains("EventRecorder[342]", StringComparison.Ordinal));
                return new ProvisionerFigures(limit, qps, burst, claims, bound.TotalSeconds, claims / bound.TotalSeconds, deleted.TotalSeconds, claims / deleted.TotalSeconds,
                    createCalls, createCalls > 0 ? createSeconds / createCalls * 1000 : 0, provisionRequests, deleteRequests, eventsDropped,
                    cpuBound - cpuStart, cpuDeleted - cpuBound, rssIdle, rssBound, rssPeak, rssAfter);
            }
        }
    }

    /// <summary>Every claim bound to the PV named after it, every PV to its claim, and the driver holding exactly the PVs' volumes.</summary>
    private static async Task CheckBoundOnceAsync(KubernetesSandbox sandbox, CsiClient driver, int claims, CancellationToken cancellationToken)
    {
        var volumes = sandbox.List("v1", "PersistentVolume");
        var claimUids = sandbox.List("v1", "PersistentVolumeClaim", Namespace)
            .Where(c => Text(c["spec"]?["volumeName"]) == "pvc-" + Text(c["metadata"]?["uid"]))
            .Select(c => Text(c["metadata"]?["uid"])).ToHashSet(StringComparer.Ordinal);
        var handles = volumes.Select(pv => Text(pv["spec"]?["csi"]?["volumeHandle"])).ToHashSet(StringComparer.Ordinal);
        var driverVolumes = (await driver.Controller.ListVolumesAsync(new ListVolumesRequest(), cancellationToken: cancellationToken)).Entries.Select(e => e.Volume.VolumeId).ToHashSet(StringComparer.Ordinal);
        var pairedVolumes = volumes.Count(pv => claimUids.Contains(Text(pv["spec"]?["claimRef"]?["uid"])) && Text(pv["metadata"]?["name"]) == "pvc-" + Text(pv["spec"]?["claimRef"]?["uid"]));
        if (claimUids.Count != claims || volumes.Count != claims || pairedVolumes != claims || handles.Count != claims || !driverVolumes.SetEquals(handles))
        {
            throw new InvalidOperationException(
                $"not bound exactly once: {claimUids.Count} claims on their own PV, {volumes.Count} PVs ({pairedVolumes} on their claim, {handles.Count} distinct handles), {driverVolumes.Count} volumes in the driver; expected {claims} of each");
        }
    }

    /// <summary>The count and summed seconds of the provisioner's CreateVolume calls, every status code, from its /metrics.</summary>
    private static async Task<(int Calls, double Seconds)> ReadCreateVolumeMetricsAsync(string address, CancellationToken cancellationToken)
    {
        using var http = new HttpClient();
        var text = await http.GetStringAsync(new Uri($"http://{address}/metrics"), cancellationToken).ConfigureAwait(false);
        var samples = PrometheusText.Family(PrometheusText.Parse(text), "csi_sidecar_operations_seconds").Samples
            .Where(s => s.Labels.GetValueOrDefault("method_name") == "/csi.v1.Controller/CreateVolume")
            .ToArray();
        return ((int)samples.Where(s => s.Name == "csi_sidecar_operations_seconds_count").Sum(s => s.Value),
            samples.Where(s => s.Name == "csi_sidecar_operations_seconds_sum").Sum(s => s.Value));
    }

    /// <summary>CPU time so far of the provisioner, the driver and this process (the API sandbox, and the polling of it).</summary>
    private static CpuSeconds CpuTimes(ChildProcess provisioner, DriverProcess driver)
    {
        using var self = Process.GetCurrentProcess();
        return new CpuSeconds(provisioner.ReadCpuTime().TotalSeconds, driver.ReadCpuTime().TotalSeconds, self.TotalProcessorTime.TotalSeconds);
    }

    /// <summary>Requests per claim by "verb resource[/subresource]", with the status code when it is not a success.</summary>
    private static Dictionary<string, double> PerClaim(IEnumerable<KubernetesRequestLogEntry> entries, int claims)
        => entries.GroupBy(e => $"{e.Verb} {e.Resource ?? e.Path}{(string.IsNullOrEmpty(e.Subresource) ? "" : "/" + e.Subresource)}{(e.StatusCode >= 300 ? $" ({e.StatusCode})" : "")}", StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Count() / (double)claims, StringComparer.Ordinal);

    /// <summary>Polls until <paramref name="condition"/> holds; gives up well past what the client limit alone would take.</summary>
    private static async Task WaitAsync(Func<bool> condition, string what, int claims, double qps, ChildProcess provisioner, CancellationToken cancellationToken)
    {
        var deadline = Stopwatch.StartNew();
        var limit = TimeSpan.FromMinutes(5) + TimeSpan.FromSeconds(Math.Min(claims * 10 / qps, 86_400));
        while (!condition())
        {
            if (provisioner.HasExited)
            {
                throw new InvalidOperationException($"{BinaryName} exited while waiting for {what}\n{provisioner.Output}");
            }
            if (deadline.Elapsed > limit)
            {
                throw new TimeoutException($"timed out after {limit.TotalSeconds:0} s waiting for {what}");
            }
            await Task.Delay(Poll, cancellationToken).ConfigureAwait(false);
        }
    }

    private static int BoundClaims(KubernetesSandbox sandbox)
        => sandbox.List("v1", "PersistentVolumeClaim", Namespace).Count(c => Text(c["status"]?["phase"]) == "Bound");

    private static string Text(JsonNode? node) => node?.GetValue<string>() ?? string.Empty;

    private static void SeedCluster(KubernetesSandbox sandbox)
    {
        sandbox.SeedCsiNode(NodeName, DriverName, TopologyKey);
        sandbox.Seed(new JsonObject
        {
            ["apiVersion"] = "storage.k8s.io/v1",
            ["kind"] = "StorageClass",
            ["metadata"] = new JsonObject { ["name"] = ClassName },
            ["provisioner"] = DriverName,
            ["reclaimPolicy"] = "Delete",
            ["volumeBindingMode"] = "Immediate",
        });
    }

    private static string ClaimName(int i) => "data-" + i.ToString(CultureInfo.InvariantCulture);

    private static JsonObject Claim(int i) => new()
    {
        ["apiVersion"] = "v1",
        ["kind"] = "PersistentVolumeClaim",
        ["metadata"] = new JsonObject { ["name"] = ClaimName(i), ["namespace"] = Namespace },
        ["spec"] = new JsonObject
        {
            ["accessModes"] = new JsonArray("ReadWriteOnce"),
            ["storageClassName"] = ClassName,
            ["resources"] = new JsonObject { ["requests"] = new JsonObject { ["storage"] = ClaimSize } },
        },
    };

    private void Progress(string message) => _progress.WriteLine($"[{DateTime.Now:HH:mm:ss}] {message}");
}
