using System.Diagnostics;

namespace Csi.Testing;

/// <summary>Runs the tools a test uses to build and inspect its storage (mkfs, mount, losetup, btrfs), with argument lists.</summary>
public static class Shell
{
    public static string Run(string program, params string[] arguments)
    {
        var (code, output, error) = TryRun(program, arguments);
        if (code != 0)
        {
            throw new InvalidOperationException($"{program} {string.Join(' ', arguments)} exited {code}: {error.Trim()}");
        }
        return output;
    }

    public static (int ExitCode, string Output, string Error) TryRun(string program, params string[] arguments)
    {
        var start = new ProcessStartInfo(program)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"{program} did not start");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, output.Result, error);
    }

    /// <summary>Whether a program is on PATH.</summary>
    public static bool Has(string program)
        => (Environment.GetEnvironmentVariable("PATH") ?? "/usr/sbin:/usr/bin:/sbin:/bin")
            .Split(':')
            .Concat(["/usr/sbin", "/sbin"])
            .Any(directory => File.Exists(Path.Combine(directory, program)));

    /// <summary>Detaches every loop device whose backing file lies under <paramref name="directory"/>.</summary>
    public static void DetachLoopsUnder(string directory)
    {
        var output = Run("losetup", "--noheadings", "--output", "NAME,BACK-FILE", "--list");
        foreach (var line in output.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var parts = line.Split(' ', 2, StringSplitOptions.TrimEntries);
            if (parts.Length == 2 && parts[1].StartsWith(directory + "/", StringComparison.Ordinal))
            {
                _ = TryRun("losetup", "--detach", parts[0]);
            }
        }
    }
}
