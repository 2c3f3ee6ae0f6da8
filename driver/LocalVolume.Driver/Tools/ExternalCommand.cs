using System.Diagnostics;

namespace LocalVolume.Driver.Tools;

/// <summary>
/// Runs the storage tools (btrfs, losetup, mkfs.*, blkid...) as child processes with argument lists, never through a
/// shell, so no request field can become shell syntax.
/// </summary>
public static class ExternalCommand
{
    public static async Task<CommandResult> RunAsync(string program, IReadOnlyList<string> arguments, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(arguments);
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
        // Tools' messages are parsed and shown to users: keep them in one language.
        start.Environment["LC_ALL"] = "C";
        using var process = new Process { StartInfo = start };
        try
        {
            process.Start();
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new StorageToolException($"{program} could not be started: {e.Message}");
        }
        var stdout = process.StandardOutput.ReadToEndAsync(CancellationToken.None);
        var stderr = process.StandardError.ReadToEndAsync(CancellationToken.None);
        // A storage step once started runs to its end: stopping mkfs or a copy halfway leaves worse than waiting.
        await process.WaitForExitAsync(CancellationToken.None).ConfigureAwait(false);
        return new CommandResult(process.ExitCode, await stdout.ConfigureAwait(false), await stderr.ConfigureAwait(false));
    }

    /// <summary>Runs the tool and throws <see cref="StorageToolException"/> with its own message when it fails.</summary>
    public static async Task<string> RunCheckedAsync(string program, IReadOnlyList<string> arguments, CancellationToken cancellationToken)
    {
        var result = await RunAsync(program, arguments, cancellationToken).ConfigureAwait(false);
        if (!result.Succeeded)
        {
            var message = (result.StandardError.Trim().Length > 0 ? result.StandardError : result.StandardOutput).Trim();
            throw new StorageToolException($"{program} {string.Join(' ', arguments)} exited {result.ExitCode}: {message}");
        }
        return result.StandardOutput;
    }
}
