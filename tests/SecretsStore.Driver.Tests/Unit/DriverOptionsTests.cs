using Csi.Common.Flags;

namespace SecretsStore.Driver.Tests.Unit;

public sealed class DriverOptionsTests : IDisposable
{
    private readonly string _spcDir = Directory.CreateTempSubdirectory("spc-").FullName;

    public void Dispose() => Directory.Delete(_spcDir, recursive: true);

    [Fact]
    public void Parse_Defaults_MatchUpstream()
    {
        var options = DriverOptions.Parse(["--spc-dir", _spcDir]);
        Assert.Equal("unix:///tmp/csi.sock", options.Endpoint);
        Assert.Equal("/tmp/csi.sock", options.SocketPath);
        Assert.Equal("secrets-store.csi.k8s.io", options.DriverName);
        Assert.Equal("/var/run/secrets-store-csi-providers", options.ProviderVolume);
        Assert.Equal(["/etc/kubernetes/secrets-store-csi-providers", "/var/run/secrets-store-csi-providers"], options.ProviderDirectories);
        Assert.Equal(4194304, options.MaxCallRecvMsgSize);
        Assert.Equal(":8095", options.MetricsAddr);
        Assert.False(options.EnableSecretRotation);
        Assert.Equal(TimeSpan.FromMinutes(2), options.RotationPollInterval);
        Assert.Equal(TimeSpan.FromSeconds(30), options.ProviderTimeout);
        Assert.False(string.IsNullOrEmpty(options.NodeId));
    }

    [Fact]
    public void Parse_UpstreamChartArguments_AreAccepted()
    {
        var options = DriverOptions.Parse([
            "--endpoint=unix:///csi/csi.sock", "--nodeid=node-1", "--provider-volume=/provider", "--additional-provider-volume-paths=/etc/a,/etc/b",
            "--enable-secret-rotation=true", "--rotation-poll-interval=30s", "--metrics-addr=:8095", "--provider-health-check=false",
            "--provider-health-check-interval=2m", "--max-call-recv-msg-size=8388608", "-v=5", "--metrics-backend=prometheus", "--spc-dir", _spcDir]);
        Assert.Equal("/csi/csi.sock", options.SocketPath);
        Assert.Equal("node-1", options.NodeId);
        Assert.Equal(["/etc/a", "/etc/b", "/provider"], options.ProviderDirectories);
        Assert.True(options.EnableSecretRotation);
        Assert.Equal(TimeSpan.FromSeconds(30), options.RotationPollInterval);
        Assert.Equal(8388608, options.MaxCallRecvMsgSize);
        Assert.Equal(5, options.LogVerbosity);
    }

    [Theory]
    [InlineData("--endpoint=tcp://1.2.3.4:5", "--endpoint:")]
    [InlineData("--rotation-poll-interval=0s", "--rotation-poll-interval: must be positive")]
    [InlineData("--rotation-max-concurrency=0", "--rotation-max-concurrency: must be between 1 and 1000")]
    [InlineData("--secret-owner=deployment", "--secret-owner: \"deployment\" is not pod or controller")]
    [InlineData("--provider-timeout=5m", "--provider-timeout: must be above 0 and at most 2m")]
    [InlineData("--max-call-recv-msg-size=0", "--max-call-recv-msg-size: must be a positive number")]
    [InlineData("--metrics-addr=nohost", "--metrics-addr: \"nohost\" is not [host]:port")]
    [InlineData("--metrics-backend=otel", "--metrics-backend: \"otel\" is not supported")]
    [InlineData("--tmpfs-mode=999", "--tmpfs-mode: \"999\" is not an octal mode")]
    [InlineData("--tmpfs-mode=0500", "--tmpfs-mode: 0500 must be within 0700-0777")]
    [InlineData("--drivername=", "--drivername: must not be empty")]
    public void Parse_BadValue_NamesTheFlagAndTheFix(string arg, string expected)
    {
        var error = Assert.Throws<FlagException>(() => DriverOptions.Parse([arg, "--spc-dir", _spcDir]));
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_WithoutSpcDirOutsideACluster_NamesBothFlags()
    {
        var error = Assert.Throws<FlagException>(() => DriverOptions.Parse([]));
        Assert.StartsWith("--kubeconfig or --spc-dir: not running in a cluster", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', error.Message);
        var missing = Assert.Throws<FlagException>(() => DriverOptions.Parse(["--spc-dir=/no/such/dir"]));
        Assert.Contains("does not exist", missing.Message, StringComparison.Ordinal);
        var noKubeconfig = Assert.Throws<FlagException>(() => DriverOptions.Parse(["--kubeconfig=/no/such/kubeconfig"]));
        Assert.Equal("--kubeconfig: file /no/such/kubeconfig does not exist", noKubeconfig.Message);
    }

    [Fact]
    public void Parse_Kubeconfig_SelectsKubernetesMode_WithUpstreamRateLimits()
    {
        var kubeconfig = Path.Combine(_spcDir, "kubeconfig");
        File.WriteAllText(kubeconfig, "apiVersion: v1\n");

        var options = DriverOptions.Parse(["--kubeconfig", kubeconfig]);

        Assert.False(options.Standalone);
        Assert.Equal(kubeconfig, options.Kubeconfig);
        Assert.Equal(20, options.KubeApiQps);
        Assert.Equal(30, options.KubeApiBurst);
        var tuned = DriverOptions.Parse(["--kubeconfig", kubeconfig, "--kube-api-qps=2.5", "--kube-api-burst=4"]);
        Assert.Equal((2.5, 4), (tuned.KubeApiQps, tuned.KubeApiBurst));
        Assert.True(DriverOptions.Parse(["--spc-dir", _spcDir]).Standalone);
    }

    [Theory]
    [InlineData("--kube-api-qps=0", "--kube-api-qps: \"0\" is not a positive number")]
    [InlineData("--kube-api-qps=fast", "--kube-api-qps: \"fast\" is not a positive number")]
    [InlineData("--kube-api-burst=0", "--kube-api-burst: must be at least 1")]
    [InlineData("--kubeconfig=/etc/hostname", "--spc-dir and --kubeconfig: choose one")]
    public void Parse_BadKubernetesFlag_NamesTheFlag(string arg, string expected)
    {
        var error = Assert.Throws<FlagException>(() => DriverOptions.Parse([arg, "--spc-dir", _spcDir]));
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_VersionAndHelp_NeedNothingElse()
    {
        Assert.True(DriverOptions.Parse(["--version"]).ShowVersion);
        Assert.True(DriverOptions.Parse(["--help"]).ShowHelp);
        Assert.Contains("--rotation-poll-interval", DriverOptions.Usage(), StringComparison.Ordinal);
    }
}
