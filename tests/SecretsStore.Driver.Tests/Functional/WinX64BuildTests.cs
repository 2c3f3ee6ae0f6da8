using Csi.Testing;

namespace SecretsStore.Driver.Tests.Functional;

/// <summary>
/// The driver compiles for win-x64 on this Linux machine with every analyzer (the platform analyzer included) and no
/// warning, as a self-contained application (Native AOT cannot compile for Windows from here). A build of the RID into
/// its own artifacts folder, so that it shares no obj/ with the Linux build.
/// </summary>
[Trait("Category", "WinBuild")]
public sealed class WinX64BuildTests
{
    [Fact]
    public async Task Driver_BuildsForWinX64_SelfContained_WithoutWarnings()
    {
        var root = RepositoryRoot.Find();
        var artifacts = Path.Combine(root, "artifacts", "win-x64");

        var (exitCode, log) = await DotnetBuild.RunAsync(root, [
            "build", Path.Combine(root, "driver", "SecretsStore.Driver"), "-r", "win-x64", "-c", "Release",
            "-p:TreatWarningsAsErrors=true", "-p:UseArtifactsOutput=true", "-p:ArtifactsPath=" + artifacts,
            "-nodeReuse:false", "-p:UseSharedCompilation=false", "-nologo", "-clp:NoSummary"]);

        Assert.True(exitCode == 0, $"dotnet build exited with {exitCode}:\n{log}");
        Assert.Empty(DotnetBuild.Warnings(log));
        var bin = Path.Combine(artifacts, "bin", "SecretsStore.Driver");
        var exe = Assert.Single(Directory.GetFiles(bin, "secrets-store-csi-driver.exe", SearchOption.AllDirectories));
        var directory = Path.GetDirectoryName(exe)!;
        Assert.True(File.Exists(Path.Combine(directory, "coreclr.dll")), "not self-contained: the Windows runtime is missing beside the binary");
        Assert.True(File.Exists(Path.Combine(directory, "Csi.Common.dll")));
    }
}
