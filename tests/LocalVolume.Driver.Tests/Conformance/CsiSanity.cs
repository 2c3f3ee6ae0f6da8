using System.Diagnostics;
using System.Text;
using System.Text.Json;
using Csi.Testing;

namespace LocalVolume.Driver.Tests.Conformance;

/// <summary>Runs the csi-test conformance suite (csi-sanity) from ../shared/tools against a socket and reads its JSON report.</summary>
public static class CsiSanity
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(10);

    /// <summary>The binary beside the repository; copied to an executable temporary file if a checkout lost its run bit.</summary>
    public static string LocateBinary(string scratchDirectory)
    {
        var path = Path.GetFullPath(Path.Combine(RepositoryRoot.Find(), "..", "shared", "tools", "csi-sanity"));
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"csi-sanity is expected at {path} (../shared/tools/csi-sanity from the repository root)", path);
        }
        if ((File.GetUnixFileMode(path) & UnixFileMode.UserExecute) != 0)
        {
            return path;
        }
        var copy = Path.Combine(scratchDirectory, "csi-sanity");
        File.Copy(path, copy, overwrite: true);
        File.SetUnixFileMode(copy, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        return copy;
    }

    /// <summary>Runs the suite; <paramref name="arguments"/> are its flags after --csi.endpoint.</summary>
    public static async Task<SanityResult> RunAsync(string binary, string socketPath, string scratchDirectory, IEnumerable<string> arguments)
    {
        var report = Path.Combine(scratchDirectory, "sanity-report.json");
        var start = new ProcessStartInfo(binary)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add("--csi.endpoint");
        start.ArgumentList.Add(socketPath);
        start.ArgumentList.Add("--ginkgo.json-report");
        start.ArgumentList.Add(report);
        start.ArgumentList.Add("--ginkgo.no-color");
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        using var process = Process.Start(start) ?? throw new InvalidOperationException("csi-sanity did not start");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(Timeout);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }
        var specs = File.Exists(report) ? ReadReport(report) : [];
        return new SanityResult(process.ExitCode, specs, await output + await error);
    }

    private static List<SanitySpec> ReadReport(string path)
    {
        using var json = JsonDocument.Parse(File.ReadAllBytes(path));
        var specs = new List<SanitySpec>();
        foreach (var suite in json.RootElement.EnumerateArray())
        {
            if (!suite.TryGetProperty("SpecReports", out var reports) || reports.ValueKind != JsonValueKind.Array)
            {
                continue;
            }
            foreach (var spec in reports.EnumerateArray())
            {
                var leaf = spec.TryGetProperty("LeafNodeText", out var l) ? l.GetString() ?? "" : "";
                if (leaf.Length == 0)
                {
                    continue; // suite-level setup and teardown nodes
                }
                var containers = spec.TryGetProperty("ContainerHierarchyTexts", out var c) && c.ValueKind == JsonValueKind.Array
                    ? string.Join(' ', c.EnumerateArray().Select(t => t.GetString()))
                    : "";
                var message = spec.TryGetProperty("Failure", out var f) && f.TryGetProperty("Message", out var m) ? m.GetString() ?? "" : "";
                specs.Add(new SanitySpec($"{containers} {leaf}".Trim(), spec.GetProperty("State").GetString() ?? "", message));
            }
        }
        return specs;
    }
}

/// <summary>One spec of the suite: its full name, its state (passed, failed, skipped, pending...) and the failure or skip message.</summary>
public sealed record SanitySpec(string Name, string State, string Message);

/// <summary>The suite's exit code, its specs and its console output.</summary>
public sealed record SanityResult(int ExitCode, IReadOnlyList<SanitySpec> Specs, string Output)
{
    public IEnumerable<SanitySpec> Failed => Specs.Where(s => s.State is "failed" or "panicked" or "interrupted" or "aborted" or "timedout");

    /// <summary>A summary for assertion messages: every failing spec with its message, then the output's tail.</summary>
    public string Describe()
    {
        var text = new StringBuilder();
        text.Append("csi-sanity exited ").Append(ExitCode).Append("; ").Append(Specs.Count(s => s.State == "passed")).Append(" passed, ")
            .Append(Failed.Count()).AppendLine(" failed:");
        foreach (var spec in Failed)
        {
            text.Append("  FAIL ").Append(spec.Name).Append(": ").AppendLine(spec.Message.Split('\n')[0]);
        }
        text.AppendLine(Output.Length > 4000 ? Output[^4000..] : Output);
        return text.ToString();
    }
}
