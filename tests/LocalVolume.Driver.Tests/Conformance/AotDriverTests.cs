using System.Globalization;
using Csi.Testing;
using LocalVolume.Driver.Tests.Fixtures;
using Xunit.Abstractions;

namespace LocalVolume.Driver.Tests.Conformance;

/// <summary>The driver as shipped: published with Native AOT, then put through csi-sanity on a subvolume pool.</summary>
public sealed class AotDriverTests(ITestOutputHelper output)
{
    [Fact]
    public async Task AotDriver_PublishesWithoutTrimOrAotDiagnostics_AndPassesCsiSanity()
    {
        var publish = await AotPublisher.PublishAsync("driver/LocalVolume.Driver/LocalVolume.Driver.csproj", "local-volume-csi-driver");
        Assert.True(publish.Succeeded, $"dotnet publish exited with {publish.ExitCode}:\n{publish.Log}");
        Assert.True(publish.TrimAndAotDiagnostics.Count == 0, "trim/AOT diagnostics:\n" + string.Join('\n', publish.TrimAndAotDiagnostics));
        output.WriteLine($"AOT local-volume driver: {new FileInfo(publish.BinaryPath).Length.ToString("N0", CultureInfo.InvariantCulture)} bytes");

        using var pool = StoragePool.Btrfs();
        var work = pool.Work;
        var socket = Path.Combine(work, "aot.sock");
        await using var driver = await DriverProcess.StartAsync(publish.BinaryPath, ["--endpoint", "unix://" + socket, "--nodeid", LocalDriver.NodeId, "--pool", pool.Flag("aot", 16L << 30)], "unix://" + socket);
        var result = await CsiSanity.RunAsync(CsiSanity.LocateBinary(work), socket, work,
        [
            "--csi.mountdir", Path.Combine(work, "mnt"),
            "--csi.stagingdir", Path.Combine(work, "stage"),
            "--csi.testvolumesize", (100L << 20).ToString(CultureInfo.InvariantCulture),
        ]);

        Assert.True(result.ExitCode == 0 && !result.Failed.Any() && result.Specs.Count > 0, result.Describe() + "\n" + driver.Output);
    }
}
