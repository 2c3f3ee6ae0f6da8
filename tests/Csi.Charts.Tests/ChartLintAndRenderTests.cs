namespace Csi.Charts.Tests;

/// <summary>Every chart lints strictly and renders objects the Kubernetes API schema accepts, with defaults and without.</summary>
public sealed class ChartLintAndRenderTests
{
    public static TheoryData<string, bool> ValueSets => ChartValueSets.Each();

    [Theory]
    [MemberData(nameof(ValueSets))]
    public void Chart_PassesStrictLint(string chart, bool nonDefault)
    {
        var arguments = new List<string> { "lint", "--strict", Helm.ChartPath(chart) };
        foreach (var set in ChartValueSets.For(chart, nonDefault))
        {
            arguments.Add("--set");
            arguments.Add(set);
        }

        var lint = Helm.Run([.. arguments]);

        Assert.True(lint.ExitCode == 0, $"helm lint --strict {chart} exited {lint.ExitCode}:\n{lint.Output}\n{lint.Error}");
        Assert.Contains("0 chart(s) failed", lint.Output, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(ValueSets))]
    public void Chart_RendersOnlyObjectsTheKubernetesSchemaAccepts(string chart, bool nonDefault)
    {
        var render = Helm.Render(chart, ChartValueSets.For(chart, nonDefault));

        var invalid = render.Objects.Where(o => !o.Valid).Select(o => $"{o}: {string.Join("; ", o.Errors)}").ToList();
        Assert.True(invalid.Count == 0, "objects the Kubernetes schema rejects:\n" + string.Join('\n', invalid));
        Assert.Contains(render.Objects, o => o.Kind == "DaemonSet");
    }

    [Theory]
    [MemberData(nameof(ValueSets))]
    public void Chart_ImageTags_DefaultToTheChartsAppVersion(string chart, bool nonDefault)
    {
        var appVersion = File.ReadAllLines(Path.Combine(Helm.ChartPath(chart), "Chart.yaml"))
            .Single(l => l.StartsWith("appVersion:", StringComparison.Ordinal))["appVersion:".Length..].Trim().Trim('"');
        var render = Helm.Render(chart, ChartValueSets.For(chart, nonDefault));

        var ours = render.Objects
            .SelectMany(o => (o["spec.template.spec.containers"]?.AsArray() ?? []).Select(c => (string)c!["image"]!))
            .Where(image => image.StartsWith("ghcr.io/csi-suite/", StringComparison.Ordinal))
            .ToList();

        Assert.NotEmpty(ours);
        Assert.All(ours, image => Assert.True(image.EndsWith(":" + appVersion, StringComparison.Ordinal) || image.Contains("@sha256:", StringComparison.Ordinal), image));
    }

    public static TheoryData<string, string, string> Unsupported => new()
    {
        // A key the chart does not know at all, or a value of the wrong type, fails the schema and is named.
        { "secrets-store-csi-driver", "foo=1", "'foo'" },
        { "secrets-store-csi-driver", "linux.image.tagg=v1", "'tagg'" },
        { "secrets-store-csi-driver", "logVerbosity=loud", "/logVerbosity" },
        { "secrets-store-csi-driver", "linux.crds.image.pullPolicy=Sometimes", "/linux/crds/image/pullPolicy" },
        // Upstream keys this driver cannot honour fail from the templates, naming the key.
        { "secrets-store-csi-driver", "rbac.pspEnabled=true", "rbac.pspEnabled" },
        { "secrets-store-csi-driver", "filteredWatchSecret=false", "filteredWatchSecret" },
        { "vault-csi-provider", "csi.agent.enabled=true", "csi.agent.enabled" },
        { "vault-csi-provider", "server.enabled=true", "server.enabled" },
        { "vault-csi-provider", "injector.enabled=true", "injector.enabled" },
        { "vault-csi-provider", "csi.agent.image.tag=1.0", "'image'" },
        { "vault-csi-provider", "csi.logLevel=verbose", "/csi/logLevel" },
        { "csi-secrets-store-provider-azure", "enableArcExtension=true", "enableArcExtension" },
        { "csi-secrets-store-provider-azure", "linux.customUserAgent=me", "linux.customUserAgent" },
        { "csi-secrets-store-provider-azure", "windows.healthzPath=/health", "windows.healthzPath" },
        { "csi-secrets-store-provider-azure", "rbac.pspEnabled=true", "rbac.pspEnabled" },
        { "csi-secrets-store-provider-azure", "arc.enableMonitoring=true", "'arc'" },
        { "csi-secrets-store-provider-azure", "secrets-store-csi-driver.rbac.pspEnabled=true", "rbac.pspEnabled" },
        { "secrets-store-csi-driver-provider-aws", "foo=1", "'foo'" },
        { "secrets-store-csi-driver-provider-aws", "k8sThrottlingParams.qpss=5", "'qpss'" },
        { "secrets-store-csi-driver-provider-aws", "podIdentityHttpTimeout=2 seconds", "/podIdentityHttpTimeout" },
        { "secrets-store-csi-driver-provider-aws", "secrets-store-csi-driver.linux.foo=1", "'foo'" },
        { "csi-proxy", "kubeletPath=/var/lib/kubelet", "/kubeletPath" },
        { "csi-proxy", "serviceAccount.create=true", "'serviceAccount'" },
    };

    [Theory]
    [MemberData(nameof(Unsupported))]
    public void Chart_UnsupportedOrUnknownValue_FailsTheRender_NamingIt(string chart, string set, string named)
    {
        var render = Helm.Template(chart, [set]);

        Assert.NotEqual(0, render.ExitCode);
        Assert.Contains(named, render.Error, StringComparison.Ordinal);
    }
}
