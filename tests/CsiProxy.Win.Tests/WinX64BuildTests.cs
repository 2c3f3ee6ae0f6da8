using System.Diagnostics;
using System.Text.RegularExpressions;

namespace CsiProxy.Win.Tests;

/// <summary>
/// The shipped projects compile for win-x64 on this Linux machine with every analyzer (trim and AOT included) and
/// no warning, and the CIM runtime assemblies land beside the binary. A build of the RID, not a publish: a publish
/// takes well over a minute here (csi-proxy-win/publish-win-x64.sh does it).
/// </summary>
[Trait("Category", "WinBuild")]
public sealed partial class WinX64BuildTests
{
    [Theory]
    [InlineData("CsiProxy.Win.Server", "csi-proxy.exe", true)]
    [InlineData("CsiProxy.Win.Client", "CsiProxy.Win.Client.dll", false)]
    public async Task Builds_for_win_x64_without_warnings(string project, string output, bool isApplication)
    {
        var root = RepositoryRoot();
        var projectDirectory = Path.Combine(root, "csi-proxy-win", project);

        var (exitCode, log) = await RunAsync("dotnet", ["build", projectDirectory, "-r", "win-x64", "-c", "Release", "-nologo", "-clp:NoSummary", "-p:TreatWarningsAsErrors=true"]);

        Assert.True(exitCode == 0, $"dotnet build exited with {exitCode}:\n{log}");
        Assert.Empty(WarningLines().Matches(log));
        var bin = Path.Combine(projectDirectory, "bin", "Release", "net10.0", "win-x64");
        Assert.True(File.Exists(Path.Combine(bin, output)), $"no {output} in {bin}");
        if (isApplication)
        {
            Assert.True(File.Exists(Path.Combine(bin, "microsoft.management.infrastructure.dll")), "the CIM runtime assembly is missing");
        }
    }

    private static string RepositoryRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "Csi.sln")))
        {
            directory = directory.Parent;
        }
        return directory?.FullName ?? throw new InvalidOperationException("Csi.sln not found above " + AppContext.BaseDirectory);
    }

    private static async Task<(int ExitCode, string Log)> RunAsync(string file, IEnumerable<string> arguments)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, await stdout + await stderr);
    }

    [GeneratedRegex(@"\bwarning [A-Z]+\d+", RegexOptions.CultureInvariant)]
    private static partial Regex WarningLines();
}
