using Csi.Common.Flags;

namespace Csi.Provisioner.Tests.Unit;

public class ProvisionerOptionsTests
{
    [Fact]
    public void Parse_Defaults_AreUpstreams()
    {
        var o = ProvisionerOptions.Parse([]);
        Assert.Equal("/run/csi/socket", o.CsiAddress);
        Assert.Equal(TimeSpan.FromSeconds(10), o.Timeout);
        Assert.Equal(100, o.WorkerThreads);
        Assert.Equal(TimeSpan.FromSeconds(1), o.RetryIntervalStart);
        Assert.Equal(TimeSpan.FromMinutes(5), o.RetryIntervalMax);
        Assert.Equal("pvc", o.VolumeNamePrefix);
        Assert.Equal(-1, o.VolumeNameUuidLength);
        Assert.Equal(5, o.KubeApiQps);
        Assert.Equal(10, o.KubeApiBurst);
        Assert.True(o.ImmediateTopology);
        Assert.False(o.StrictTopology);
        Assert.False(o.ExtraCreateMetadata);
        Assert.Equal(TimeSpan.FromSeconds(15), o.LeaderElectionLeaseDuration);
        Assert.Equal(TimeSpan.FromSeconds(10), o.LeaderElectionRenewDeadline);
        Assert.Equal(TimeSpan.FromSeconds(5), o.LeaderElectionRetryPeriod);
    }

    [Fact]
    public void Parse_UpstreamCommandLine_IsAccepted()
    {
        var o = ProvisionerOptions.Parse(["--csi-address=unix:///csi/csi.sock", "--feature-gates=Topology=true", "--extra-create-metadata", "--strict-topology",
            "--immediate-topology=false", "--kube-api-qps=50.5", "--kube-api-burst=100", "--worker-threads", "10", "-v=5", "--leader-election", "--metrics-address=:8080", "--timeout=30s"]);
        Assert.Equal("/csi/csi.sock", o.SocketPath);
        Assert.True(o.FeatureGates["Topology"]);
        Assert.True(o.ExtraCreateMetadata && o.StrictTopology && o.LeaderElection);
        Assert.False(o.ImmediateTopology);
        Assert.Equal(50.5, o.KubeApiQps);
        Assert.Equal(10, o.WorkerThreads);
        Assert.Equal(":8080", o.HttpEndpoint);
        Assert.Equal(TimeSpan.FromSeconds(30), o.Timeout);
    }

    [Theory]
    [InlineData("--worker-threads=0", "--worker-threads")]
    [InlineData("--timeout=soon", "--timeout")]
    [InlineData("--kube-api-qps=-1", "--kube-api-qps")]
    [InlineData("--feature-gates=Topology=false", "--feature-gates")]
    [InlineData("--feature-gates=Magic=true", "--feature-gates")]
    [InlineData("--volume-name-prefix=PVC", "--volume-name-prefix")]
    [InlineData("--volume-name-uuid-length=0", "--volume-name-uuid-length")]
    [InlineData("--retry-interval-max=100ms", "--retry-interval-max")]
    [InlineData("--http-endpoint=nowhere", "--http-endpoint")]
    [InlineData("--enable-capacity", "--enable-capacity")]
    [InlineData("--no-such-flag", "no-such-flag")]
    public void Parse_BadFlag_NamesIt(string argument, string flag)
    {
        var error = Assert.Throws<FlagException>(() => ProvisionerOptions.Parse([argument]));
        Assert.Contains(flag, error.Message, StringComparison.Ordinal);
    }
}
