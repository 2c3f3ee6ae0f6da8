using System.Diagnostics;

namespace SecretsStore.Driver.Tests.Functional;

/// <summary>
/// kubernetes-csi's conformance suite (csi-sanity, csi-test v5.3.1) against the driver in standalone mode with
/// the test provider: every identity and node spec that applies to an ephemeral, node-only plugin passes.
/// </summary>
public sealed class CsiSanityTests
{
    [Fact]
    public async Task CsiSanity_IdentityAndNodeSpecs_Pass()
    {
        var sanity = CsiSanityBinary();
        await using var h = await DriverHarness.StartAsync();
        h.WriteClass("spc");
        h.ServeFiles(("a", "1"));
        var work = Path.Combine(h.Root, "sanity");
        Directory.CreateDirectory(work);

        var start = new ProcessStartInfo(sanity)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = work,
        };
        foreach (var argument in new[]
        {
            "--csi.endpoint", h.SocketPath,
            "--csi.mountdir", Path.Combine(work, "mount"),
            "--csi.stagingdir", Path.Combine(work, "stage"),
            "--csi.testvolumeaccesstype", "mount",
            // The driver serves no controller: its Controller service only answers an empty capability list, so
            // the controller and group-controller specs (CreateVolume, snapshots, ...) do not apply to it. One node
            // spec, "NodeUnpublishVolume should remove target path", makes its volume with CreateVolume whatever
            // the plugin advertises (csi-test v5.3.1 does not guard it by CONTROLLER_SERVICE): it cannot apply either.
            "--ginkgo.skip", "Controller Server|GroupController|NodeUnpublishVolume should remove target path",
            "--ginkgo.no-color",
        })
        {
            start.ArgumentList.Add(argument);
        }
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        await process.WaitForExitAsync(timeout.Token);

        var report = await output + await error;
        Assert.True(process.ExitCode == 0, report);
        Assert.Matches(@"[1-9][0-9]* Passed \| 0 Failed", report);
    }

    /// <summary>The suite's binary from the shared tools beside the repository, with its run bit (a copy gets one if it lost it).</summary>
    private static string CsiSanityBinary()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "Csi.sln")))
        {
            directory = directory.Parent;
        }
        Assert.True(directory?.Parent is not null, "the repository root (Csi.sln) was not found above the test assembly");
        var binary = Path.Combine(directory!.Parent!.FullName, "shared", "tools", "csi-sanity");
        Assert.True(File.Exists(binary), $"csi-sanity not found at {binary}: the shared tools sit beside the repository");
        if ((File.GetUnixFileMode(binary) & UnixFileMode.UserExecute) != 0)
        {
            return binary;
        }
        var copy = Path.Combine(Directory.CreateTempSubdirectory("csi-sanity-").FullName, "csi-sanity");
        File.Copy(binary, copy);
        File.SetUnixFileMode(copy, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        return copy;
    }
}
