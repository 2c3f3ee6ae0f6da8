using System.Runtime.InteropServices;
using Csi.Common.Metrics;
using Csi.Common.Mounting;
using Csi.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using SecretsStore.Driver.CsiServices;
using SecretsStore.Driver.Diagnostics;

namespace SecretsStore.Driver.Tests.Unit;

/// <summary>The one decision the driver makes by operating system, and what follows from it.</summary>
public sealed class NodePlatformTests
{
    [Fact]
    public void Detect_OnWindows_TakesTheDirectoryMounterWindowsPathsAndLabel()
    {
        var platform = NodePlatform.Detect(os => os == OSPlatform.Windows);

        Assert.Same(NodePlatform.Windows, platform);
        Assert.IsType<WindowsMounter>(platform.CreateMounter());
        Assert.Same(TargetPathRules.Windows, platform.TargetPaths);
        Assert.Equal("windows", platform.OsType);
        Assert.True(platform.SecretsOnNodeDisk);
    }

    [Fact]
    public void Detect_OnLinux_TakesTheTmpfsMounterLinuxPathsAndLabel()
    {
        var platform = NodePlatform.Detect(os => os == OSPlatform.Linux);

        Assert.Same(NodePlatform.Linux, platform);
        Assert.IsType<LinuxMounter>(platform.CreateMounter());
        Assert.Same(TargetPathRules.Linux, platform.TargetPaths);
        Assert.Equal("linux", platform.OsType);
        Assert.False(platform.SecretsOnNodeDisk);
    }

    [Fact]
    public void Current_OnThisLinuxMachine_IsLinux()
    {
        Assert.Same(NodePlatform.Linux, NodePlatform.Current);
        Assert.Equal("linux", new DriverMetrics(new MetricsRegistry()).OsType);
    }

    [Fact]
    public void DriverMetrics_CarryTheOsTypeTheyAreGiven()
    {
        var metrics = new DriverMetrics(new MetricsRegistry(), NodePlatform.Windows.OsType);
        metrics.NodeUnpublish.Inc(metrics.OsType);

        Assert.Equal(1, metrics.NodeUnpublish.Value("windows"));
        Assert.Equal(0, metrics.NodeUnpublish.Value("linux"));
    }

    [Fact]
    public async Task Build_ForAWindowsNode_WiresTheDirectoryMounter_AndWarnsOnceThatSecretsTouchTheDisk()
    {
        var root = Directory.CreateTempSubdirectory("platform-").FullName;
        try
        {
            var options = DriverOptions.Parse(["--endpoint", "unix://" + Path.Combine(root, "csi.sock"), "--nodeid", "node-1", "--spc-dir", root, "--metrics-addr", ""]);
            var logs = new CapturedLogs();

            await using var app = DriverHost.Build(options, TimeProvider.System, logging => logging.AddProvider(logs), NodePlatform.Windows);

            Assert.IsType<WindowsMounter>(app.Services.GetRequiredService<IMounter>());
            Assert.Equal("windows", app.Services.GetRequiredService<DriverMetrics>().OsType);
            var warning = Assert.Single(logs.Lines, l => l.Contains("SecretsOnNodeDisk", StringComparison.Ordinal));
            Assert.StartsWith("Warning", warning, StringComparison.Ordinal);
            Assert.Contains("node's disk", warning, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    [Fact]
    public async Task Build_ForALinuxNode_WiresTheTmpfsMounter_AndDoesNotWarn()
    {
        var root = Directory.CreateTempSubdirectory("platform-").FullName;
        try
        {
            var options = DriverOptions.Parse(["--endpoint", "unix://" + Path.Combine(root, "csi.sock"), "--nodeid", "node-1", "--spc-dir", root, "--metrics-addr", ""]);
            var logs = new CapturedLogs();

            await using var app = DriverHost.Build(options, TimeProvider.System, logging => logging.AddProvider(logs), NodePlatform.Linux);

            Assert.IsType<LinuxMounter>(app.Services.GetRequiredService<IMounter>());
            Assert.DoesNotContain(logs.Lines, l => l.Contains("SecretsOnNodeDisk", StringComparison.Ordinal));
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }
}
