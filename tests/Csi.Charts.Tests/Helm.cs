using Csi.Testing;

namespace Csi.Charts.Tests;

/// <summary>
/// The real helm (v4, installed into tests/tools/bin by tests/tools/install-kube-tools.sh) run on a copy of the
/// repository's charts in which the charts that depend on secrets-store-csi-driver have had `helm dependency update`.
/// </summary>
public static class Helm
{
    public static readonly string[] Charts =
    [
        "secrets-store-csi-driver",
        "vault-csi-provider",
        "csi-secrets-store-provider-azure",
        "secrets-store-csi-driver-provider-aws",
        "csi-proxy",
        "local-volume-csi-driver",
    ];

    private static readonly Lazy<string> Workspace = new(CreateWorkspace);

    public static string ToolsDirectory => Path.Combine(RepositoryRoot.Find(), "tests", "tools");

    public static string Binary
    {
        get
        {
            var helm = Path.Combine(ToolsDirectory, "bin", "helm");
            return File.Exists(helm) ? helm : throw new InvalidOperationException($"{helm} is missing: run tests/tools/install-kube-tools.sh");
        }
    }

    /// <summary>The chart's directory in the prepared copy.</summary>
    public static string ChartPath(string chart) => Path.Combine(Workspace.Value, chart);

    public static ProcessResult Run(params string[] arguments) => ProcessResult.Run(Binary, arguments);

    /// <summary>`helm template` of a chart as release "csi" in namespace "kube-system", with `--set` style values.</summary>
    public static ProcessResult Template(string chart, IEnumerable<string>? sets = null, IEnumerable<string>? extra = null)
    {
        var arguments = new List<string> { "template", "csi", ChartPath(chart), "--namespace", "kube-system" };
        foreach (var set in sets ?? [])
        {
            arguments.Add("--set");
            arguments.Add(set);
        }
        arguments.AddRange(extra ?? []);
        return ProcessResult.Run(Binary, [.. arguments]);
    }

    /// <summary>Renders and parses; fails the test with helm's message when the render fails.</summary>
    public static Render Render(string chart, params string[] sets)
    {
        var result = Template(chart, sets);
        Assert.True(result.ExitCode == 0, $"helm template {chart} {string.Join(' ', sets)} exited {result.ExitCode}:\n{result.Error}");
        return Tests.Render.Parse(result.Output);
    }

    private static string CreateWorkspace()
    {
        var copy = Directory.CreateTempSubdirectory("csi-charts-").FullName;
        var source = Path.Combine(RepositoryRoot.Find(), "charts");
        foreach (var chart in Charts)
        {
            CopyDirectory(Path.Combine(source, chart), Path.Combine(copy, chart));
        }
        foreach (var chart in Charts)
        {
            if (File.ReadAllText(Path.Combine(copy, chart, "Chart.yaml")).Contains("dependencies:", StringComparison.Ordinal))
            {
                var update = Run("dependency", "update", Path.Combine(copy, chart));
                if (update.ExitCode != 0)
                {
                    throw new InvalidOperationException($"helm dependency update {chart} exited {update.ExitCode}: {update.Error}");
                }
            }
        }
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            try
            {
                Directory.Delete(copy, recursive: true);
            }
            catch (IOException)
            {
            }
        };
        return copy;
    }

    private static void CopyDirectory(string from, string to)
    {
        Directory.CreateDirectory(to);
        foreach (var file in Directory.EnumerateFiles(from))
        {
            File.Copy(file, Path.Combine(to, Path.GetFileName(file)));
        }
        foreach (var directory in Directory.EnumerateDirectories(from))
        {
            // Build output of an earlier `helm dependency update` in the checkout is not part of the chart.
            if (Path.GetFileName(directory) != "charts")
            {
                CopyDirectory(directory, Path.Combine(to, Path.GetFileName(directory)));
            }
        }
    }
}
