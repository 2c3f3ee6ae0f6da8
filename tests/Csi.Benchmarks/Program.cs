using System.Runtime.InteropServices;
using System.Text.Json;
using Csi.Benchmarks;
using Csi.Common.Flags;

BenchmarkOptions options;
try
{
    options = BenchmarkOptions.Parse(args);
}
catch (FlagException e)
{
    await Console.Error.WriteLineAsync("csi-benchmarks: " + e.Message).ConfigureAwait(false);
    return 2;
}
if (options.ShowHelp)
{
    await Console.Out.WriteAsync(BenchmarkOptions.Usage()).ConfigureAwait(false);
    return 0;
}
if (!Environment.IsPrivilegedProcess)
{
    await Console.Error.WriteLineAsync("csi-benchmarks: run as root: the drivers and the baselines mount file systems and attach loop devices").ConfigureAwait(false);
    return 2;
}

// Ctrl+C or SIGTERM cancels the run; the disposals then unmount, stop and delete what it made.
using var stop = new CancellationTokenSource();
void Cancel(PosixSignalContext context)
{
    context.Cancel = true;
    stop.Cancel();
}
using var onInterrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, Cancel);
using var onTerminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Cancel);

BenchmarkReport report;
ReconcilerFigures? reconciler;
try
{
    var sections = options.Sections;
    var binaries = sections.Contains("binaries") ? await new BinariesBenchmark(options.Starts, options.Before, Console.Error).RunAsync(stop.Token).ConfigureAwait(false) : null;
    var driver = sections.Contains("driver") ? await new DriverBenchmark(options, Console.Error).RunAsync(stop.Token).ConfigureAwait(false) : null;
    var vault = sections.Contains("vault") ? await new VaultMountBenchmark(options.Warmup, options.Iterations, Console.Error).RunAsync(stop.Token).ConfigureAwait(false) : null;
    var azure = sections.Contains("azure") ? await new AzureMountBenchmark(options.Warmup, options.Iterations, Console.Error).RunAsync(stop.Token).ConfigureAwait(false) : null;
    var aws = sections.Contains("aws") ? await new AwsMountBenchmark(options.Warmup, options.Iterations, Console.Error).RunAsync(stop.Token).ConfigureAwait(false) : null;
    var localVolume = sections.Contains("localvolume") ? await new LocalVolumeBenchmark(options.LocalVolumeWarmup, options.LocalVolumeIterations, Console.Error).RunAsync(stop.Token).ConfigureAwait(false) : null;
    var kubeClient = sections.Contains("kubeclient") ? await new KubeClientBenchmark(options.Starts, Console.Error).RunAsync(stop.Token).ConfigureAwait(false) : null;
    var metricsLibrary = sections.Contains("metrics") ? await new MetricsLibraryBenchmark(options.Starts, Console.Error).RunAsync(stop.Token).ConfigureAwait(false) : null;
    var provisioner = sections.Contains("provisioner") ? await new ProvisionerBenchmark(options.Claims, options.ThrottledClaims, Console.Error).RunAsync(stop.Token).ConfigureAwait(false) : null;
    report = new BenchmarkReport(driver, vault, azure, aws, localVolume, kubeClient, metricsLibrary, provisioner, binaries);
    reconciler = sections.Contains("reconciler") ? await new ReconcilerBenchmark(Console.Error).RunAsync(stop.Token).ConfigureAwait(false) : null;
}
catch (OperationCanceledException) when (stop.IsCancellationRequested)
{
    await Console.Error.WriteLineAsync("csi-benchmarks: interrupted; everything it started and mounted is cleaned up").ConfigureAwait(false);
    return 130;
}

await Console.Out.WriteAsync(report.ToMarkdown()).ConfigureAwait(false);
if (reconciler is not null)
{
    await Console.Out.WriteAsync("\n" + reconciler.ToMarkdown()).ConfigureAwait(false);
}
if (options.JsonPath is { } jsonPath)
{
    Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(jsonPath))!);
    await File.WriteAllTextAsync(jsonPath, JsonSerializer.Serialize(report, Json.Options)).ConfigureAwait(false);
    await Console.Error.WriteLineAsync("figures written to " + Path.GetFullPath(jsonPath)).ConfigureAwait(false);
}
return 0;
