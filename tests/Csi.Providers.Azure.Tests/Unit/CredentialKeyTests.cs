using Azure.Core;
using Azure.Identity;
using Csi.ProviderHost.Credentials;

namespace Csi.Providers.Azure.Tests.Unit;

/// <summary>Which mounts share an Azure credential: the keys, through the provider host's credential cache.</summary>
public sealed class CredentialKeyTests
{
    private static readonly AzureMountParameters Parameters = new("kv", "tenant", AzureCloud.Public, AzureIdentityMode.None, string.Empty, "client", []);

    private static AzureCredentialSettings Workload(string token) => new() { Mode = AzureIdentityMode.None, ClientId = "client", ServiceAccountToken = token };

    private static TokenCredential New() => new ClientSecretCredential("tenant", "id", "secret");

    [Fact]
    public void SameIdentityAndToken_ReusesTheCredential()
    {
        var cache = NewCache();

        var first = Get(cache, Workload("jwt-1"), Parameters, "ns", "a");
        var second = Get(cache, Workload("jwt-1"), Parameters, "ns", "b");

        Assert.Same(first, second);
    }

    [Fact]
    public void ARotatedToken_GetsACredentialOfItsOwn()
    {
        var cache = NewCache();

        var first = Get(cache, Workload("jwt-1"), Parameters, "ns", "a");
        var second = Get(cache, Workload("jwt-2"), Parameters, "ns", "a");

        Assert.NotSame(first, second);
    }

    [Fact]
    public void AnotherTenantOrClient_GetsACredentialOfItsOwn()
    {
        var cache = NewCache();
        var first = Get(cache, Workload("jwt-1"), Parameters, "ns", "a");

        Assert.NotSame(first, Get(cache, Workload("jwt-1"), Parameters with { TenantId = "other" }, "ns", "a"));
        Assert.NotSame(first, Get(cache, Workload("jwt-1") with { ClientId = "other" }, Parameters, "ns", "a"));
    }

    [Fact]
    public void PodIdentity_IsPerPod()
    {
        var cache = NewCache();
        var pod = new AzureCredentialSettings { Mode = AzureIdentityMode.PodIdentity };

        Assert.NotSame(Get(cache, pod, Parameters, "ns", "a"), Get(cache, pod, Parameters, "ns", "b"));
    }

    private static CredentialCache<TokenCredential> NewCache() => new("azure-credential", 256, TimeSpan.Zero, TimeProvider.System, TimeSpan.FromHours(1));

    private static TokenCredential Get(CredentialCache<TokenCredential> cache, AzureCredentialSettings settings, AzureMountParameters parameters, string podNamespace, string podName)
        => cache.GetOrAdd(AzureCredentialKey.For(settings, parameters, podNamespace, podName), New);
}
