using Csi.Common.Flags;
using Csi.Common.RateLimiting;
using Csi.ProviderHost;
using Csi.Providers.Aws.Kubernetes;
using Csi.Sandboxes.Kubernetes;
using k8s.Models;

namespace Csi.Providers.Aws.Tests.Functional;

public sealed class FlagTests
{
    private static (AwsProvider Provider, ProviderHostOptions Host) Parse(params string[] args)
    {
        var provider = new AwsProvider(AwsEnvironment.From(new Dictionary<string, string>()));
        return (provider, ProviderHostOptions.Parse(provider, args));
    }

    [Fact]
    public void UpstreamFlags_AreAccepted_WithUpstreamDefaults()
    {
        var (provider, host) = Parse("--provider-volume=/tmp/providers", "--driver-writes-secrets=true", "--eks-addon-version=v1.2.3-eksbuild.1", "--pod-identity-http-timeout=2s");
        using (provider)
        {
            Assert.Equal("/tmp/providers/aws.sock", host.SocketPath(provider.Name));
            Assert.Equal((5, 10), (provider.Options.Qps, provider.Options.Burst));
            Assert.Equal(TimeSpan.FromSeconds(2), provider.Options.PodIdentityHttpTimeout);
            Assert.Equal("secrets-store-csi-driver-provider-aws-v1.2.3-eksbuild.1", provider.AppId);
            Assert.Equal("secrets-store-csi-driver-provider-aws", provider.RuntimeName);
        }
    }

    [Theory]
    [InlineData("--qps=0", "--qps")]
    [InlineData("--burst=-1", "--burst")]
    [InlineData("--pod-identity-http-timeout=soon", "--pod-identity-http-timeout")]
    [InlineData("--pod-identity-http-timeout=-1s", "--pod-identity-http-timeout")]
    public void BadFlags_StopTheProcess_NamingTheFlag(string flag, string name)
    {
        var e = Assert.Throws<FlagException>(() => Parse(flag));
        Assert.StartsWith(name, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Usage_ListsTheUpstreamFlags()
    {
        using var provider = new AwsProvider();
        var usage = ProviderHostOptions.Usage(provider);
        foreach (var flag in new[] { "provider-volume", "qps", "burst", "pod-identity-http-timeout", "eks-addon-version", "driver-writes-secrets", "health-addr", "metrics-addr" })
        {
            Assert.Contains(flag, usage, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task KubernetesLookups_ReadTheApi_AndKeepToQpsAndBurst()
    {
        await using var sandbox = await KubernetesSandbox.StartAsync();
        sandbox.Seed(new V1ServiceAccount { Metadata = new V1ObjectMeta { Name = "sa", NamespaceProperty = "default", Annotations = new Dictionary<string, string> { ["eks.amazonaws.com/role-arn"] = "arn:aws:iam::1:role/r" } } });
        sandbox.Seed(new V1ServiceAccount { Metadata = new V1ObjectMeta { Name = "bare", NamespaceProperty = "default" } });
        sandbox.Seed(new V1Node { Metadata = new V1ObjectMeta { Name = "n1", Labels = new Dictionary<string, string> { ["topology.kubernetes.io/region"] = "ap-south-1" } } });
        sandbox.Seed(new V1Pod { Metadata = new V1ObjectMeta { Name = "p", NamespaceProperty = "default" }, Spec = new V1PodSpec { NodeName = "n1", Containers = [new V1Container { Name = "c", Image = "i" }] } });
        var kubeconfig = Path.Combine(Directory.CreateTempSubdirectory("aws-lookup-").FullName, "kubeconfig");
        await File.WriteAllTextAsync(kubeconfig, sandbox.Kubeconfig());
        using var lookup = new KubernetesLookup(limiter => KubernetesLookup.CreateClient(kubeconfig, limiter, "0.0.0-test"), new TokenBucket(qps: 10, burst: 2, TimeProvider.System));

        Assert.Equal("arn:aws:iam::1:role/r", await lookup.GetRoleArnAsync("default", "sa", CancellationToken.None));
        Assert.Null(await lookup.GetRoleArnAsync("default", "bare", CancellationToken.None));
        Assert.Equal("n1", await lookup.GetPodNodeAsync("default", "p", CancellationToken.None));
        Assert.Equal("ap-south-1", await lookup.GetNodeRegionAsync("n1", CancellationToken.None));
        var missing = await Assert.ThrowsAsync<ProviderException>(() => lookup.GetRoleArnAsync("default", "nobody", CancellationToken.None));
        Assert.Equal(ProviderErrorKind.NotFound, missing.Kind);
        Assert.Contains("failed to get service account default/nobody: HTTP 404", missing.Message, StringComparison.Ordinal);

        sandbox.ClearRequestLog();
        var started = System.Diagnostics.Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => lookup.GetNodeRegionAsync("n1", CancellationToken.None)));
        // Burst 2 at 10/s: the other 6 reads wait 100 ms each. Only this lower bound holds on a loaded machine; the
        // bucket's own schedule is proven without a clock in TokenBucketTests.
        Assert.True(started.Elapsed >= TimeSpan.FromMilliseconds(500), started.Elapsed.ToString());
        Assert.Equal(8, sandbox.CountRequests());
    }
}
