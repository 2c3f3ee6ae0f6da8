using System.Globalization;
using Csi.Testing;
using Csi.V1;
using Xunit.Abstractions;

namespace Csi.Aot.Tests;

/// <summary>The driver as shipped: published with Native AOT, run as a process, driven over its CSI socket as kubelet does.</summary>
public sealed class AotDriverTests(ITestOutputHelper output)
{
    private const string ClassName = "bench-3";
    private const int ObjectCount = 3;

    [Fact]
    public async Task Publish_succeeds_without_trim_or_aot_warnings()
    {
        var publish = await AotPublisher.PublishDriverAsync();

        Assert.True(publish.Succeeded, $"dotnet publish exited with {publish.ExitCode}:\n{publish.Log}");
        Assert.Contains("Generating native code", publish.Log);
        Assert.True(publish.TrimAndAotDiagnostics.Count == 0, "trim/AOT diagnostics:\n" + string.Join('\n', publish.TrimAndAotDiagnostics));
        var binary = new FileInfo(publish.BinaryPath);
        Assert.True(binary.Exists, $"no binary at {binary.FullName}");
        output.WriteLine($"AOT driver: {binary.FullName}, {binary.Length.ToString("N0", CultureInfo.InvariantCulture)} bytes ({binary.Length / 1024.0 / 1024.0:F1} MiB)");
    }

    [Fact]
    public void Trim_and_aot_diagnostics_are_found_in_a_publish_log()
    {
        var log = """
            Generating native code
            ILC : Trim analysis warning IL2104: Assembly 'YamlDotNet' produced trim warnings. [/src/Driver.csproj]
            /src/Program.cs(12,5): AOT analysis warning IL3050: Calling members annotated with 'RequiresDynamicCodeAttribute' [/src/Driver.csproj]
            /src/Program.cs(14,5): error IL2026: Using member 'X' which has 'RequiresUnreferencedCodeAttribute' [/src/Driver.csproj]
            /src/Program.cs(15,5): warning CS0168: The variable 'e' is declared but never used [/src/Driver.csproj]
            """;

        var diagnostics = new AotPublishResult("/nowhere", 0, log).TrimAndAotDiagnostics;

        Assert.Equal(3, diagnostics.Count);
        Assert.All(diagnostics, d => Assert.Matches(@"IL[23]\d{3}", d));
    }

    [Fact]
    public async Task Aot_driver_publishes_and_unpublishes_a_volume_and_stops_cleanly_on_sigterm()
    {
        var publish = await AotPublisher.PublishDriverAsync();
        Assert.True(publish.Succeeded, $"dotnet publish exited with {publish.ExitCode}:\n{publish.Log}");
        // Directory.Build.targets embeds the runtime option the collector reads at start: 1 MiB regions (hex).
        var binary = await File.ReadAllBytesAsync(publish.BinaryPath);
        Assert.True(binary.AsSpan().IndexOf("GCRegionSize\0100000\0"u8) >= 0, "the binary does not embed GCRegionSize=100000");

        using var layout = new StandaloneDriverLayout();
        await using var provider = await BenchProvider.StartAsync(layout.ProvidersDirectory);
        layout.WriteManifest(ClassName, provider.Manifest(ClassName, ObjectCount));
        await using var driver = await DriverProcess.StartAsync(publish.BinaryPath, layout.Arguments(), layout.Endpoint, layout.WorkingDirectory);
        output.WriteLine($"exec to first Probe: {driver.StartupTime.TotalMilliseconds:F1} ms; RSS {driver.ReadRssKiB()} KiB");
        var csi = driver.Client;

        var info = await csi.Identity.GetPluginInfoAsync(new GetPluginInfoRequest());
        Assert.Equal("secrets-store.csi.k8s.io", info.Name);
        var probe = await csi.Identity.ProbeAsync(new ProbeRequest());
        Assert.True(probe.Ready is null || probe.Ready.Value, "Probe answered not ready");
        var node = await csi.Node.NodeGetInfoAsync(new NodeGetInfoRequest());
        Assert.Equal("bench-node", node.NodeId);

        var target = layout.NewTarget();
        var request = StandaloneDriverLayout.PublishRequest(ClassName, target);
        await csi.Node.NodePublishVolumeAsync(request);

        Assert.True(MountTable.FileSystemAt(target) == "tmpfs", $"{target} is not a tmpfs mount point\n{driver.Output}");
        for (var i = 0; i < ObjectCount; i++)
        {
            Assert.Equal(BenchProvider.Contents(i), await File.ReadAllBytesAsync(Path.Combine(target, BenchProvider.FileName(i))));
        }
        Assert.Equal(1, provider.MountCalls);

        await csi.Node.NodeUnpublishVolumeAsync(StandaloneDriverLayout.UnpublishRequest(request));

        Assert.Null(MountTable.FileSystemAt(target));
        Assert.False(Directory.Exists(target), $"{target} still exists after NodeUnpublishVolume");

        using (var http = new HttpClient())
        {
            var metrics = await http.GetStringAsync(layout.MetricsUri);
            var lines = metrics.Split('\n');
            Assert.Contains(lines, l => l.StartsWith("node_publish_total", StringComparison.Ordinal));
            Assert.Contains(lines, l => l.StartsWith("node_unpublish_total", StringComparison.Ordinal));
        }

        var exitCode = await driver.StopAsync();
        Assert.True(exitCode == 0, $"the driver exited with {exitCode} on SIGTERM\n{driver.Output}");
    }
}
