namespace Csi.Charts.Tests;

/// <summary>Facts of the csi-proxy chart: a Windows HostProcess DaemonSet passing upstream's flags.</summary>
public sealed class CsiProxyChartTests
{
    private static readonly HashSet<string> UpstreamFlags = ["kubelet-path", "working-dir", "windows-service", "require-privacy", "metrics-bind-address", "v"];

    [Fact]
    public void CsiProxy_RunsAsAHostProcessAsSystem_OnTheHostNetwork_OnWindowsNodesOnly()
    {
        var daemonSet = Helm.Render("csi-proxy").One("DaemonSet", "csi-csi-proxy");

        Assert.True((bool)daemonSet["spec.template.spec.securityContext.windowsOptions.hostProcess"]!);
        Assert.Equal(@"NT AUTHORITY\SYSTEM", (string)daemonSet["spec.template.spec.securityContext.windowsOptions.runAsUserName"]!);
        Assert.True((bool)daemonSet["spec.template.spec.hostNetwork"]!);
        Assert.Equal("windows", (string)daemonSet["spec.template.spec.nodeSelector"]!["kubernetes.io/os"]!);
        Assert.False((bool)daemonSet["spec.template.spec.automountServiceAccountToken"]!);
    }

    [Fact]
    public void CsiProxy_PassesOnlyUpstreamsFlags_FollowingTheValues()
    {
        var defaults = Render.Arguments(Render.Container(Helm.Render("csi-proxy").One("DaemonSet", "csi-csi-proxy"), "csi-proxy"));
        var set = Render.Arguments(Render.Container(Helm.Render("csi-proxy", ChartValueSets.NonDefault["csi-proxy"]).One("DaemonSet", "csi-csi-proxy"), "csi-proxy"));

        Assert.All(defaults.Concat(set), a => Assert.Contains(SecretsStoreChartTests.FlagName(a), UpstreamFlags));
        Assert.Equal([@"-kubelet-path=C:\var\lib\kubelet", "-require-privacy=true", "-v=2"], defaults);
        Assert.Contains(@"-working-dir=D:\csi", set);
        Assert.Contains("-metrics-bind-address=127.0.0.1:8888", set);
        Assert.Contains("-require-privacy=false", set);
        // In a pod the process runs in the foreground: never as a Windows service.
        Assert.DoesNotContain(set, a => a.StartsWith("-windows-service", StringComparison.Ordinal));
    }
}
