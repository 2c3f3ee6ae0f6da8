using Azure.Core;
using Azure.Identity;
using Csi.Sandboxes.Common;

namespace Csi.Providers.Azure.Tests.Unit;

public sealed class CredentialCacheTests
{
    private static readonly AzureMountParameters Parameters = new("kv", "tenant", AzureCloud.Public, AzureIdentityMode.None, string.Empty, "client", []);

    private static AzureCredentialSettings Workload(string token) => new() { Mode = AzureIdentityMode.None, ClientId = "client", ServiceAccountToken = token };

    private static TokenCredential New() => new ClientSecretCredential("tenant", "id", "secret");

    [Fact]
    public void SameIdentityAndToken_ReusesTheCredential()
    {
        var cache = new AzureCredentialCache();

        var first = cache.GetOrCreate(Workload("jwt-1"), Parameters, "ns", "a", New);
        var second = cache.GetOrCreate(Workload("jwt-1"), Parameters, "ns", "b", New);

        Assert.Same(first, second);
    }

    [Fact]
    public void ARotatedToken_GetsACredentialOfItsOwn()
    {
        var cache = new AzureCredentialCache();

        var first = cache.GetOrCreate(Workload("jwt-1"), Parameters, "ns", "a", New);
        var second = cache.GetOrCreate(Workload("jwt-2"), Parameters, "ns", "a", New);

        Assert.NotSame(first, second);
    }

    [Fact]
    public void AnotherTenantOrClient_GetsACredentialOfItsOwn()
    {
        var cache = new AzureCredentialCache();
        var first = cache.GetOrCreate(Workload("jwt-1"), Parameters, "ns", "a", New);

        Assert.NotSame(first, cache.GetOrCreate(Workload("jwt-1"), Parameters with { TenantId = "other" }, "ns", "a", New));
        Assert.NotSame(first, cache.GetOrCreate(Workload("jwt-1") with { ClientId = "other" }, Parameters, "ns", "a", New));
    }

    [Fact]
    public void PodIdentity_IsPerPod()
    {
        var cache = new AzureCredentialCache();
        var pod = new AzureCredentialSettings { Mode = AzureIdentityMode.PodIdentity };

        Assert.NotSame(cache.GetOrCreate(pod, Parameters, "ns", "a", New), cache.GetOrCreate(pod, Parameters, "ns", "b", New));
    }

    [Fact]
    public void AnIdleEntry_IsNotReused_AndTheCacheStaysBounded()
    {
        var clock = new ManualTimeProvider();
        var cache = new AzureCredentialCache(capacity: 4, idle: TimeSpan.FromMinutes(10), time: clock);
        var first = cache.GetOrCreate(Workload("jwt-1"), Parameters, "ns", "a", New);

        clock.Advance(TimeSpan.FromMinutes(11));
        Assert.NotSame(first, cache.GetOrCreate(Workload("jwt-1"), Parameters, "ns", "a", New));

        for (var i = 0; i < 20; i++)
        {
            cache.GetOrCreate(Workload("jwt-x" + i), Parameters, "ns", "a", New);
        }

        Assert.True(cache.Count <= 4, $"{cache.Count} entries");
    }
}
