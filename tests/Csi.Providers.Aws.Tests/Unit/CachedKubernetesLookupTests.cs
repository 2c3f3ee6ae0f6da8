using Csi.Providers.Aws.Kubernetes;
using Microsoft.Extensions.Time.Testing;

namespace Csi.Providers.Aws.Tests.Unit;

public sealed class CachedKubernetesLookupTests
{
    private sealed class CountingLookup : IKubernetesLookup
    {
        public int Reads { get; private set; }

        public string? Role { get; set; } = "arn:aws:iam::111122223333:role/app";

        public Task<string?> GetRoleArnAsync(string @namespace, string serviceAccount, CancellationToken cancellationToken)
        {
            Reads++;
            return Task.FromResult(Role);
        }

        public Task<string> GetPodNodeAsync(string @namespace, string pod, CancellationToken cancellationToken)
        {
            Reads++;
            return Task.FromResult("node-" + pod);
        }

        public Task<string?> GetNodeRegionAsync(string node, CancellationToken cancellationToken)
        {
            Reads++;
            return Task.FromResult<string?>("eu-west-1");
        }
    }

    [Fact]
    public async Task ManyMountsOfOneServiceAccount_ReadItOnce_UntilItExpires()
    {
        var inner = new CountingLookup();
        var clock = new FakeTimeProvider();
        var cached = new CachedKubernetesLookup(inner, clock);

        for (var i = 0; i < 10; i++)
        {
            Assert.Equal(inner.Role, await cached.GetRoleArnAsync("ns", "app", CancellationToken.None));
        }

        Assert.Equal(1, inner.Reads);
        clock.Advance(CachedKubernetesLookup.ObjectLifetime + TimeSpan.FromSeconds(1));
        await cached.GetRoleArnAsync("ns", "app", CancellationToken.None);
        Assert.Equal(2, inner.Reads);
    }

    [Fact]
    public async Task AMissingAnnotation_IsAskedAgain_SoAFixTakesEffectAtOnce()
    {
        var inner = new CountingLookup { Role = null };
        var cached = new CachedKubernetesLookup(inner, new FakeTimeProvider());

        Assert.Null(await cached.GetRoleArnAsync("ns", "app", CancellationToken.None));
        inner.Role = "arn:aws:iam::111122223333:role/fixed";

        Assert.Equal("arn:aws:iam::111122223333:role/fixed", await cached.GetRoleArnAsync("ns", "app", CancellationToken.None));
        Assert.Equal(2, inner.Reads);
    }

    [Fact]
    public async Task PodsAndNodes_AreKeptApart_AndNodesLonger()
    {
        var inner = new CountingLookup();
        var clock = new FakeTimeProvider();
        var cached = new CachedKubernetesLookup(inner, clock);

        Assert.Equal("node-a", await cached.GetPodNodeAsync("ns", "a", CancellationToken.None));
        Assert.Equal("node-b", await cached.GetPodNodeAsync("ns", "b", CancellationToken.None));
        await cached.GetNodeRegionAsync("node-a", CancellationToken.None);
        clock.Advance(CachedKubernetesLookup.ObjectLifetime + TimeSpan.FromSeconds(1));
        await cached.GetNodeRegionAsync("node-a", CancellationToken.None);
        await cached.GetPodNodeAsync("ns", "a", CancellationToken.None);

        Assert.Equal(4, inner.Reads);
    }
}
