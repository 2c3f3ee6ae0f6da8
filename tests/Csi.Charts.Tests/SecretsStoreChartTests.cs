using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Csi.Common.Flags;
using Csi.Testing;
using SecretsStore.Driver;

namespace Csi.Charts.Tests;

/// <summary>Facts of the secrets-store-csi-driver chart's render: privileges, mounts, flags, CSIDriver, RBAC, CRD hooks.</summary>
public sealed partial class SecretsStoreChartTests
{
    private const string Chart = "secrets-store-csi-driver";
    private const string DaemonSet = "csi-secrets-store-csi-driver";

    [Fact]
    public void LinuxDaemonSet_OnlyTheDriverContainerIsPrivileged_AndItsPodsMountPropagatesBidirectionally()
    {
        var driver = Helm.Render(Chart).One("DaemonSet", DaemonSet);

        var containers = driver["spec.template.spec.containers"]!.AsArray().Select(c => (string)c!["name"]!).ToList();
        Assert.Equal(["node-driver-registrar", "secrets-store", "liveness-probe"], containers);
        Assert.True((bool)Render.Container(driver, "secrets-store")["securityContext"]!["privileged"]!);
        Assert.Null(Render.Container(driver, "node-driver-registrar")["securityContext"]);
        Assert.Null(Render.Container(driver, "liveness-probe")["securityContext"]);

        var pods = Assert.Single(Render.Container(driver, "secrets-store")["volumeMounts"]!.AsArray(), m => (string)m!["name"]! == "mountpoint-dir")!;
        Assert.Equal("/var/lib/kubelet/pods", (string)pods["mountPath"]!);
        Assert.Equal("Bidirectional", (string)pods["mountPropagation"]!);
        Assert.All(Render.Container(driver, "secrets-store")["volumeMounts"]!.AsArray().Where(m => (string)m!["name"]! != "mountpoint-dir"),
            m => Assert.Null(m!["mountPropagation"]));
    }

    [Fact]
    public void LinuxDaemonSet_HasUpstreamsHostPaths_Tolerations_UpdateStrategy_AndResources()
    {
        var driver = Helm.Render(Chart).One("DaemonSet", DaemonSet);

        var hostPaths = driver["spec.template.spec.volumes"]!.AsArray().ToDictionary(v => (string)v!["name"]!, v => (string?)v!["hostPath"]?["path"]);
        Assert.Equal("/var/lib/kubelet/pods", hostPaths["mountpoint-dir"]);
        Assert.Equal("/var/lib/kubelet/plugins/csi-secrets-store/", hostPaths["plugin-dir"]);
        Assert.Equal("/var/lib/kubelet/plugins_registry/", hostPaths["registration-dir"]);
        Assert.Equal("/var/run/secrets-store-csi-providers", hostPaths["providers-dir"]);
        Assert.Equal("/etc/kubernetes/secrets-store-csi-providers", hostPaths["providers-dir-0"]);
        Assert.Equal("/var/run/secrets-store-csi-driver/volumes", hostPaths["state-dir"]);

        Assert.Equal("Exists", (string)driver["spec.template.spec.tolerations.0.operator"]!);
        Assert.Equal("RollingUpdate", (string)driver["spec.updateStrategy.type"]!);
        Assert.Equal(1, (int)driver["spec.updateStrategy.rollingUpdate.maxUnavailable"]!);
        Assert.Equal("linux", (string)driver["spec.template.spec.nodeSelector"]!["kubernetes.io/os"]!);

        Assert.Equal(("50m", "100Mi", "200m", "200Mi"), Resources(Render.Container(driver, "secrets-store")));
        Assert.Equal(("10m", "20Mi", "100m", "100Mi"), Resources(Render.Container(driver, "node-driver-registrar")));
        Assert.Equal(("10m", "20Mi", "100m", "100Mi"), Resources(Render.Container(driver, "liveness-probe")));

        var probe = Render.Container(driver, "liveness-probe");
        Assert.Contains("--http-endpoint=0.0.0.0:9808", Render.Arguments(probe));
        Assert.Equal(9808, (int)Render.Container(driver, "secrets-store")["ports"]![0]!["containerPort"]!);
        Assert.Equal("healthz", (string)Render.Container(driver, "secrets-store")["livenessProbe"]!["httpGet"]!["port"]!);
    }

    [Fact]
    public void WindowsDaemonSet_OnlyWithWindowsEnabled_NotPrivileged_WithUpstreamsWindowsResources()
    {
        Assert.Null(Helm.Render(Chart).Find("DaemonSet", DaemonSet + "-windows"));

        var windows = Helm.Render(Chart, "windows.enabled=true").One("DaemonSet", DaemonSet + "-windows");

        Assert.Equal("windows", (string)windows["spec.template.spec.nodeSelector"]!["kubernetes.io/os"]!);
        foreach (var container in windows["spec.template.spec.containers"]!.AsArray())
        {
            Assert.Null(container!["securityContext"]);
            Assert.All(container["volumeMounts"]?.AsArray() ?? [], m => Assert.Null(m!["mountPropagation"]));
        }
        Assert.Equal(("100m", "100Mi", "400m", "400Mi"), Resources(Render.Container(windows, "secrets-store")));
        Assert.Equal(("100m", "100Mi", "200m", "200Mi"), Resources(Render.Container(windows, "node-driver-registrar")));
        Assert.Contains(@"--provider-volume=C:\k\secrets-store-csi-providers", Render.Arguments(Render.Container(windows, "secrets-store")));
    }

    public static TheoryData<string[]> DriverValueSets => new()
    {
        Array.Empty<string>(),
        ChartValueSets.NonDefault[Chart],
        new[] { "linux.metricsAddr=", "maxCallRecvMsgSize=8388608", "providerHealthCheckInterval=5m", "linux.stateDir=" },
    };

    [Theory]
    [MemberData(nameof(DriverValueSets))]
    public void DriverArguments_AreAcceptedByTheDriversOwnFlagParser(string[] sets)
    {
        var render = Helm.Render(Chart, sets);
        foreach (var daemonSet in render.OfKind("DaemonSet"))
        {
            var arguments = Render.Arguments(Render.Container(daemonSet, "secrets-store"), new Dictionary<string, string> { ["KUBE_NODE_NAME"] = "node-1" });
            if (daemonSet.Name.EndsWith("-windows", StringComparison.Ordinal))
            {
                // Windows paths do not parse as Linux socket paths here: check the flag names only.
                var names = FlagNames(DriverOptions.Usage());
                Assert.All(arguments, a => Assert.Contains(FlagName(a), names));
                continue;
            }

            Assert.True((bool)daemonSet["spec.template.spec.automountServiceAccountToken"]!);
            var options = ParseInCluster(arguments);

            Assert.Equal("/csi/csi.sock", options.SocketPath);
            Assert.Equal("node-1", options.NodeId);
            Assert.Equal(["/etc/kubernetes/secrets-store-csi-providers", "/var/run/secrets-store-csi-providers"], options.ProviderDirectories);
        }
    }

    [Fact]
    public void DriverArguments_FollowTheValues()
    {
        var defaults = Render.Arguments(Render.Container(Helm.Render(Chart).One("DaemonSet", DaemonSet), "secrets-store"));
        var set = Render.Arguments(Render.Container(Helm.Render(Chart, ChartValueSets.NonDefault[Chart]).One("DaemonSet", DaemonSet), "secrets-store"));

        Assert.DoesNotContain(defaults, a => a.StartsWith("--enable-secret-rotation", StringComparison.Ordinal));
        var rotated = ParseInCluster(set);
        Assert.True(rotated.EnableSecretRotation);
        Assert.Equal(TimeSpan.FromSeconds(30), rotated.RotationPollInterval);
        Assert.True(rotated.ProviderHealthCheck);
        Assert.True(rotated.LogFormatJson);
        Assert.Equal(5, rotated.LogVerbosity);
        Assert.Equal(4194304, rotated.MaxCallRecvMsgSize);
        Assert.Throws<FlagException>(() => ParseInCluster([.. set, "--no-such-flag=1"]));
    }

    [Fact]
    public void CsiDriver_FollowsRotationAndTokenRequests()
    {
        var plain = RenderOn("1.34.0").One("CSIDriver", "secrets-store.csi.k8s.io");
        Assert.True((bool)plain["spec.podInfoOnMount"]!);
        Assert.False((bool)plain["spec.attachRequired"]!);
        Assert.Equal(["Ephemeral"], plain["spec.volumeLifecycleModes"]!.AsArray().Select(m => (string)m!));
        Assert.False((bool)plain["spec.requiresRepublish"]!);
        Assert.Null(plain["spec.tokenRequests"]);

        var rotating = RenderOn("1.34.0", "enableSecretRotation=true", "tokenRequests[0].audience=vault", "tokenRequests[1].audience=sts.amazonaws.com", "tokenRequests[1].expirationSeconds=3600")
            .One("CSIDriver", "secrets-store.csi.k8s.io");
        Assert.True((bool)rotating["spec.requiresRepublish"]!);
        Assert.Equal(["vault", "sts.amazonaws.com"], rotating["spec.tokenRequests"]!.AsArray().Select(t => (string)t!["audience"]!));
        Assert.Equal(3600, (int)rotating["spec.tokenRequests.1.expirationSeconds"]!);
        Assert.Null(rotating["spec.serviceAccountTokenInSecrets"]);
    }

    [Fact]
    public void CsiDriver_OnKubernetes135_PutsTokensInSecrets_WhichTheDriverReads()
    {
        var csiDriver = RenderOn("1.35.0", "tokenRequests[0].audience=vault").One("CSIDriver", "secrets-store.csi.k8s.io");

        Assert.True((bool)csiDriver["spec.serviceAccountTokenInSecrets"]!);
    }

    [Fact]
    public void SecretSyncRole_IsRenderedOnlyWithSyncSecretEnabled()
    {
        var plain = Helm.Render(Chart);
        Assert.Null(plain.Find("ClusterRole", "secretprovidersyncing-role"));
        Assert.Null(plain.Find("ClusterRoleBinding", "secretprovidersyncing-rolebinding"));

        var syncing = Helm.Render(Chart, "syncSecret.enabled=true");
        var role = syncing.One("ClusterRole", "secretprovidersyncing-role");
        Assert.Equal(new Dictionary<string, SortedSet<string>> { ["/secrets"] = ["create", "delete", "get", "list", "update", "watch"] }, Render.Rules(role));
        var binding = syncing.One("ClusterRoleBinding", "secretprovidersyncing-rolebinding");
        Assert.Equal("secrets-store-csi-driver", (string)binding["subjects.0.name"]!);
        Assert.Equal("kube-system", (string)binding["subjects.0.namespace"]!);
    }

    /// <summary>
    /// The verbs the driver's ServiceAccount gets are the calls the driver makes (driver/SecretsStore.Driver):
    /// Events create + patch (Events/KubernetesPodEventRecorder), pods get (SecretSync/KubernetesSecretSync: the owner
    /// pod), SecretProviderClasses get (SecretProviderClasses/KubernetesSecretProviderClassSource: v1, then v1alpha1),
    /// SecretProviderClassPodStatuses create/get/update/delete and list by node label (PodStatuses/KubernetesPodStatusRecorder);
    /// its CSIDriver get and serviceaccounts/token create (the rotation reconciler's TokenRequests, ServiceAccountTokens/);
    /// with sync, Secrets get/create/update/delete (KubernetesSecretSync) and list/watch of the managed ones (ManagedSecretWatch).
    /// Upstream also grants list/watch on pods and classes, and patch/watch and /status on statuses: our driver uses none of them.
    /// </summary>
    [Fact]
    public void DriverServiceAccount_HasExactlyTheVerbsOfTheDriversApiCalls()
    {
        var render = Helm.Render(Chart, "syncSecret.enabled=true");
        var bound = render.OfKind("ClusterRoleBinding")
            .Where(b => b["subjects"]!.AsArray().Any(s => (string)s!["name"]! == "secrets-store-csi-driver"))
            .Select(b => render.One("ClusterRole", (string)b["roleRef.name"]!))
            .SelectMany(r => Render.Rules(r))
            .ToDictionary(r => r.Key, r => r.Value);

        Assert.Equal(new Dictionary<string, SortedSet<string>>
        {
            ["/events"] = ["create", "patch"],
            ["/pods"] = ["get"],
            ["secrets-store.csi.x-k8s.io/secretproviderclasses"] = ["get"],
            ["secrets-store.csi.x-k8s.io/secretproviderclasspodstatuses"] = ["create", "delete", "get", "list", "update"],
            ["storage.k8s.io/csidrivers"] = ["get"],
            ["/serviceaccounts/token"] = ["create"],
            ["/secrets"] = ["create", "delete", "get", "list", "update", "watch"],
        }, bound);
    }

    [Fact]
    public void DriverSource_UsesNoApiResourceTheRolesDoNotName()
    {
        var source = Path.Combine(RepositoryRoot.Find(), "driver", "SecretsStore.Driver");
        var used = Directory.EnumerateFiles(source, "*.cs", SearchOption.AllDirectories)
            .SelectMany(f => ApiResourceUse().Matches(File.ReadAllText(f)).Select(m => m.Groups[1].Value))
            .ToHashSet(StringComparer.Ordinal);

        // Every resource the driver addresses is one the chart's roles cover: a new one must come with its RBAC.
        // (Events are written through the shared EventRecorder, which addresses ApiResource.Events itself; of
        // ServiceAccounts the driver only creates the token subresource, which the role grants as serviceaccounts/token.)
        Assert.Equal(new HashSet<string>(["SecretProviderClassesV1", "SecretProviderClassesV1Alpha1", "SecretProviderClassPodStatusesV1", "CsiDrivers", "ServiceAccounts", "Secrets", "Pods"]), used);
    }

    [Fact]
    public void CrdHooks_ApplyTheCrdsOnInstallAndUpgrade_FromThisSuitesCrdImage_WithCrdVerbsOnly()
    {
        var render = Helm.Render(Chart);

        var upgrade = render.One("Job", "csi-secrets-store-csi-driver-upgrade-crds");
        Assert.Equal("pre-install,pre-upgrade", (string)upgrade["metadata.annotations"]!["helm.sh/hook"]!);
        var container = upgrade["spec.template.spec.containers.0"]!.AsObject();
        Assert.Equal("ghcr.io/csi-suite/secrets-store-csi-driver-crds:0.1.0", (string)container["image"]!);
        Assert.Equal(["apply", "-f", "/crds/"], Render.Arguments(container));
        Assert.True((bool)upgrade["spec.template.spec.securityContext.runAsNonRoot"]!);
        Assert.Equal(new Dictionary<string, SortedSet<string>> { ["apiextensions.k8s.io/customresourcedefinitions"] = ["create", "get", "patch", "update"] },
            Render.Rules(render.One("ClusterRole", "csi-secrets-store-csi-driver-upgrade-crds")));

        var keep = render.One("Job", "csi-secrets-store-csi-driver-keep-crds");
        Assert.Equal("pre-upgrade", (string)keep["metadata.annotations"]!["helm.sh/hook"]!);

        Assert.Empty(Helm.Render(Chart, "linux.crds.enabled=false").OfKind("Job"));
    }

    [Fact]
    public void RbacInstallFalse_RendersNoServiceAccountOrDriverRoles()
    {
        var render = Helm.Render(Chart, "rbac.install=false", "linux.crds.enabled=false");

        Assert.Empty(render.OfKind("ServiceAccount"));
        Assert.Empty(render.OfKind("ClusterRole"));
        Assert.Single(render.OfKind("DaemonSet"));
    }

    private static Render RenderOn(string kubeVersion, params string[] sets)
    {
        var result = Helm.Template(Chart, sets, ["--kube-version", kubeVersion]);
        Assert.True(result.ExitCode == 0, result.Error);
        return Render.Parse(result.Output);
    }

    /// <summary>
    /// The driver's parser, as in its pod: there the mounted service-account token makes it in-cluster; here a
    /// kubeconfig file stands in for it (the driver refuses to start with neither).
    /// </summary>
    private static DriverOptions ParseInCluster(string[] arguments)
    {
        var kubeconfig = Path.GetTempFileName();
        try
        {
            return DriverOptions.Parse([.. arguments, "--kubeconfig=" + kubeconfig]);
        }
        finally
        {
            File.Delete(kubeconfig);
        }
    }

    private static (string, string, string, string) Resources(JsonObject container)
    {
        var r = container["resources"]!;
        return ((string)r["requests"]!["cpu"]!, (string)r["requests"]!["memory"]!, (string)r["limits"]!["cpu"]!, (string)r["limits"]!["memory"]!);
    }

    internal static HashSet<string> FlagNames(string usage)
        => [.. UsageFlag().Matches(usage).Select(m => m.Groups[1].Value)];

    internal static string FlagName(string argument) => argument.TrimStart('-').Split('=')[0];

    [GeneratedRegex(@"^\s+--?([a-z0-9-]+)", RegexOptions.Multiline)]
    private static partial Regex UsageFlag();

    [GeneratedRegex(@"\b(?:ApiResource|SecretsStoreResources)\.([A-Z][A-Za-z0-9]+)\b")]
    private static partial Regex ApiResourceUse();
}
