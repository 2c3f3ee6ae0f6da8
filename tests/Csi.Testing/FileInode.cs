using System.Diagnostics;
using System.Globalization;

namespace Csi.Testing;

/// <summary>Inode numbers, to prove a file was kept rather than rewritten.</summary>
public static class FileInode
{
    /// <summary>The inode <paramref name="path"/> resolves to (symlinks followed).</summary>
    public static long Of(string path)
    {
        // .NET exposes no inode number; coreutils stat does.
        using var process = Process.Start(new ProcessStartInfo("stat", ["-L", "-c", "%i", path]) { RedirectStandardOutput = true, RedirectStandardError = true })!;
        var output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return process.ExitCode == 0
            ? long.Parse(output.Trim(), CultureInfo.InvariantCulture)
            : throw new FileNotFoundException($"stat {path} failed", path);
    }
}
