using System.Diagnostics;
using System.Text;

namespace Csi.Testing;

/// <summary>
/// Publishes a binary of the suite with Native AOT once per process; later callers share the same task. Output
/// goes to artifacts/aot under the repository (bin and obj included, so others' builds are not disturbed), and a
/// lock file keeps two processes from publishing there at once.
/// </summary>
public static class AotPublisher
{
    public const string DriverProject = "driver/SecretsStore.Driver/SecretsStore.Driver.csproj";
    public const string DriverBinaryName = "secrets-store-csi-driver";

    public const string VaultProviderProject = "providers/Csi.Providers.Vault/Csi.Providers.Vault.csproj";
    public const string VaultProviderBinaryName = "vault-csi-provider";

    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, Lazy<Task<AotPublishResult>>> Published = new(StringComparer.Ordinal);

    public static Task<AotPublishResult> PublishDriverAsync() => PublishAsync(DriverProject, DriverBinaryName);

    public static Task<AotPublishResult> PublishVaultProviderAsync() => PublishAsync(VaultProviderProject, VaultProviderBinaryName);

    /// <summary>Publishes <paramref name="project"/> (relative to the repository) and returns where <paramref name="binaryName"/> landed.</summary>
    public static Task<AotPublishResult> PublishAsync(string project, string binaryName)
        => Published.GetOrAdd(project, p => new Lazy<Task<AotPublishResult>>(() => Task.Run(() => RunPublishAsync(p, binaryName)))).Value;

    private static async Task<AotPublishResult> RunPublishAsync(string project, string binaryName)
    {
        var root = RepositoryRoot.Find();
        var artifacts = Path.Combine(root, "artifacts", "aot");
        var output = Path.Combine(artifacts, binaryName);
        Directory.CreateDirectory(artifacts);
        using var _ = await AcquireLockAsync(Path.Combine(artifacts, ".publish.lock")).ConfigureAwait(false);
        var build = Path.Combine(artifacts, "build");
        // ILC skips an up-to-date native build and then prints none of its trim/AOT warnings: make it run every time.
        var projectObj = Path.Combine(build, "obj", Path.GetFileNameWithoutExtension(project));
        if (Directory.Exists(projectObj))
        {
            foreach (var directory in Directory.GetDirectories(projectObj, "native", SearchOption.AllDirectories))
            {
                Directory.Delete(directory, recursive: true);
            }
        }

        var start = new ProcessStartInfo(DotnetHost())
        {
            WorkingDirectory = root,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[]
        {
            "publish", Path.Combine(root, project),
            "-c", "Release", "-r", "linux-x64", "-p:PublishAot=true", "-o", output,
            "-p:UseArtifactsOutput=true", "-p:ArtifactsPath=" + build,
            // No build servers: they would outlive the publish and hold its output pipes open.
            "-nodeReuse:false", "-p:UseSharedCompilation=false", "--nologo",
        })
        {
            start.ArgumentList.Add(argument);
        }
        // Variables set by an enclosing `dotnet test` or `dotnet run` would point MSBuild at their SDK state.
        foreach (var name in start.Environment.Keys.Where(k => k.StartsWith("MSBuild", StringComparison.OrdinalIgnoreCase)).ToArray())
        {
            start.Environment.Remove(name);
        }
        start.Environment["DOTNET_CLI_USE_MSBUILD_SERVER"] = "0";
        start.Environment["DOTNET_NOLOGO"] = "1";

        var log = new StringBuilder();
        using var process = new Process { StartInfo = start };
        process.OutputDataReceived += (_, e) => Append(log, e.Data);
        process.ErrorDataReceived += (_, e) => Append(log, e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        await process.WaitForExitAsync().ConfigureAwait(false);
        string text;
        lock (log)
        {
            text = log.ToString();
        }
        return new AotPublishResult(Path.Combine(output, binaryName), process.ExitCode, text);
    }

    private static void Append(StringBuilder log, string? line)
    {
        if (line is null)
        {
            return;
        }
        lock (log)
        {
            log.AppendLine(line);
        }
    }

    private static string DotnetHost()
        => Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host) ? host : "dotnet";

    private static async Task<FileStream> AcquireLockAsync(string path)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(15);
        while (true)
        {
            try
            {
                return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            }
            catch (IOException) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(TimeSpan.FromSeconds(1)).ConfigureAwait(false);
            }
        }
    }
}
