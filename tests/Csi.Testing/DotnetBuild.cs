using System.Diagnostics;
using System.Text.RegularExpressions;

namespace Csi.Testing;

/// <summary>Runs the .NET CLI from a test (a build for another RID, say), apart from the enclosing <c>dotnet test</c>.</summary>
public static partial class DotnetBuild
{
    /// <summary>Runs <c>dotnet</c> with <paramref name="arguments"/>; returns its exit code and both streams.</summary>
    public static async Task<(int ExitCode, string Log)> RunAsync(string workingDirectory, IEnumerable<string> arguments)
    {
        ArgumentNullException.ThrowIfNull(arguments);
        var host = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } path && File.Exists(path) ? path : "dotnet";
        var start = new ProcessStartInfo(host) { WorkingDirectory = workingDirectory, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        // Variables set by the enclosing `dotnet test` would point MSBuild at its own state.
        foreach (var name in start.Environment.Keys.Where(k => k.StartsWith("MSBuild", StringComparison.OrdinalIgnoreCase)).ToArray())
        {
            start.Environment.Remove(name);
        }
        start.Environment["DOTNET_CLI_USE_MSBUILD_SERVER"] = "0";
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().ConfigureAwait(false);
        return (process.ExitCode, await stdout.ConfigureAwait(false) + await stderr.ConfigureAwait(false));
    }

    /// <summary>The compiler and analyzer warnings in a build log (<c>warning CA1416</c>, <c>warning IL2026</c>...).</summary>
    public static MatchCollection Warnings(string log) => WarningLines().Matches(log);

    [GeneratedRegex(@"\bwarning [A-Z]+\d+", RegexOptions.CultureInvariant)]
    private static partial Regex WarningLines();
}
