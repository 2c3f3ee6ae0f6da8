using Csi.Testing;
using LocalVolume.Driver.Tests.Fixtures;
using Xunit.Abstractions;

namespace LocalVolume.Driver.Tests.Conformance;

/// <summary>
/// The field's conformance suite against the driver in --mode all with real mounts, one run per layout and access
/// type. No spec is skipped by us: the suite itself skips the specs of capabilities the driver does not advertise
/// (ControllerPublish, GetVolume, ModifyVolume, group snapshots, ephemeral volumes...), and each such skip is printed with
/// the suite's reason.
/// </summary>
public sealed class CsiSanityTests
{
    private const long MiB = 1L << 20;

    private readonly ITestOutputHelper _output;

    public CsiSanityTests(ITestOutputHelper output)
    {
        _output = output;
    }

    [Fact]
    public Task SubvolumeLayout_MountVolumes_PassEverySpec()
        => RunAsync(StoragePool.Btrfs(4L << 30), "mount", 100 * MiB, fileSystem: null);

    [Fact]
    public Task ImageLayout_Ext4MountVolumes_PassEverySpec()
        => RunAsync(StoragePool.Images(), "mount", 100 * MiB, fileSystem: "ext4");

    [Fact]
    public Task ImageLayout_XfsMountVolumes_PassEverySpec()
        // mkfs.xfs makes nothing under 300 MiB.
        => RunAsync(StoragePool.Images(), "mount", 320 * MiB, fileSystem: "xfs");

    [Fact]
    public Task ImageLayout_BlockVolumes_PassEverySpec()
        => RunAsync(StoragePool.Images(), "block", 100 * MiB, fileSystem: null);

    private async Task RunAsync(StoragePool pool, string accessType, long volumeBytes, string? fileSystem)
    {
        using var _ = pool;
        var work = pool.Work;
        var binary = CsiSanity.LocateBinary(work);
        // The suite makes hundreds of volumes and snapshots; sparse images and CoW snapshots keep the real use small.
        await using var driver = await LocalDriver.StartAsync(work, [pool.Flag("sanity", 64L << 30)]);
        List<string> arguments =
        [
            "--csi.mountdir", Path.Combine(work, "mnt"),
            "--csi.stagingdir", Path.Combine(work, "stage"),
            "--csi.testvolumesize", volumeBytes.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "--csi.testvolumeaccesstype", accessType,
        ];
        if (fileSystem is not null)
        {
            var parameters = Path.Combine(work, "parameters.yaml");
            await File.WriteAllTextAsync(parameters, $"fsType: {fileSystem}\n");
            arguments.Add("--csi.testvolumeparameters");
            arguments.Add(parameters);
        }

        var result = await CsiSanity.RunAsync(binary, driver.SocketPath, work, arguments);

        foreach (var skipped in result.Specs.Where(s => s.State is "skipped" or "pending"))
        {
            _output.WriteLine($"{skipped.State}: {skipped.Name}: {(skipped.Message.Length > 0 ? skipped.Message.Split('\n')[0] : "marked pending in csi-test's own source")}");
        }
        Assert.True(result.Specs.Count > 0, "csi-sanity wrote no report\n" + result.Output);
        Assert.True(result.ExitCode == 0 && !result.Failed.Any(), result.Describe() + "\n" + driver.Output);
        Assert.True(result.Specs.Count(s => s.State == "passed") >= 60, result.Describe());
        Assert.All(result.Specs.Where(s => s.State == "skipped"), s => Assert.False(string.IsNullOrWhiteSpace(s.Message), $"{s.Name} was skipped without a reason"));
    }
}
