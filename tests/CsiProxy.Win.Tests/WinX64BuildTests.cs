namespace CsiProxy.Win.Tests;

/// <summary>
/// The shipped projects compile for win-x64 on this Linux machine with every analyzer (trim and AOT included) and
/// no warning, and the CIM runtime assemblies land beside the binary. A build of the RID, not a publish: a publish
/// takes well over a minute here (csi-proxy-win/publish-win-x64.sh does it).
/// </summary>
[Trait("Category", "WinBuild")]
public sealed class WinX64BuildTests
{
    [Theory]
    [InlineData("CsiProxy.Win.Server", "csi-proxy.exe", true)]
    [InlineData("CsiProxy.Win.Client", "CsiProxy.Win.Client.dll", false)]
    public async Task Builds_for_win_x64_without_warnings(string project, string output, bool isApplication)
    {
        var root = Csi.Testing.RepositoryRoot.Find();
        var projectDirectory = Path.Combine(root, "csi-proxy-win", project);

        var (exitCode, log) = await Csi.Testing.DotnetBuild.RunAsync(root, ["build", projectDirectory, "-r", "win-x64", "-c", "Release", "-nologo", "-clp:NoSummary", "-p:TreatWarningsAsErrors=true"]);

        Assert.True(exitCode == 0, $"dotnet build exited with {exitCode}:\n{log}");
        Assert.Empty(Csi.Testing.DotnetBuild.Warnings(log));
        var bin = Path.Combine(projectDirectory, "bin", "Release", "net10.0", "win-x64");
        Assert.True(File.Exists(Path.Combine(bin, output)), $"no {output} in {bin}");
        if (isApplication)
        {
            Assert.True(File.Exists(Path.Combine(bin, "microsoft.management.infrastructure.dll")), "the CIM runtime assembly is missing");
        }
    }
}
