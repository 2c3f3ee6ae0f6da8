using System.Diagnostics;

namespace Csi.Sandboxes.Kubernetes.Tests;

/// <summary>
/// kubectl and @kubernetes/client-node, installed under <c>tests/tools</c> by <c>tests/tools/install-kube-tools.sh</c>.
/// A missing tool is a failure that says how to install it, never a skipped test.
/// </summary>
internal static class KubeTools
{
    public static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    private static readonly Lazy<string> ToolsDirectory = new(() =>
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "tests", "tools");
            if (File.Exists(Path.Combine(candidate, "install-kube-tools.sh")))
            {
                return candidate;
            }
        }

        throw new InvalidOperationException("tests/tools/install-kube-tools.sh not found above " + AppContext.BaseDirectory);
    });

    public static string Kubectl => Require(Path.Combine(ToolsDirectory.Value, "bin", "kubectl"));

    public static string Script(string name)
    {
        Require(Path.Combine(ToolsDirectory.Value, "node_modules", "@kubernetes", "client-node", "package.json"));
        return Path.Combine(ToolsDirectory.Value, "scripts", name);
    }

    /// <summary>Runs a tool to completion (bounded by <see cref="Patience"/>) and returns its exit code and output.</summary>
    public static async Task<(int ExitCode, string Stdout, string Stderr)> RunAsync(string file, IEnumerable<string> args, string kubeconfig, string? stdin = null)
    {
        using var process = Start(file, args, kubeconfig);
        if (stdin is not null)
        {
            await process.StandardInput.WriteAsync(stdin);
        }

        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(Patience);
        try
        {
            await process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{Path.GetFileName(file)} {string.Join(' ', args)} did not finish within {Patience}: {await stderr}");
        }

        return (process.ExitCode, await stdout, await stderr);
    }

    public static Process Start(string file, IEnumerable<string> args, string kubeconfig)
    {
        var info = new ProcessStartInfo(file)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        info.Environment["KUBECONFIG"] = kubeconfig;
        info.Environment["HOME"] = Path.GetDirectoryName(kubeconfig);
        return Process.Start(info) ?? throw new InvalidOperationException("could not start " + file);
    }

    private static string Require(string path) =>
        File.Exists(path)
            ? path
            : throw new InvalidOperationException($"{path} is missing: run tests/tools/install-kube-tools.sh (CI runs it) to install kubectl, helm and @kubernetes/client-node.");
}
