using Csi.Common.Metrics;
using Csi.ProviderHost.Credentials;
using Microsoft.Extensions.Time.Testing;

namespace Csi.ProviderHost.Tests;

public sealed class CredentialCacheTests
{
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));

    [Fact]
    public void Get_ReturnsTheCredentialUntilItsExpiryMinusTheMargin()
    {
        var cache = new CredentialCache<string>("c", 10, TimeSpan.FromMinutes(5), _clock);
        var key = CredentialKey.For("token", "ns", "sa");
        cache.Put(key, "credential", _clock.GetUtcNow().AddMinutes(60));

        _clock.Advance(TimeSpan.FromMinutes(54));
        Assert.Equal("credential", cache.Get(key));
        _clock.Advance(TimeSpan.FromMinutes(1));
        Assert.Null(cache.Get(key));
        Assert.Equal(0, cache.Count);
    }

    [Fact]
    public void Put_OfACredentialAlreadyWithinTheMargin_CachesNothing()
    {
        var cache = new CredentialCache<string>("c", 10, TimeSpan.FromMinutes(5), _clock);
        var key = CredentialKey.For("token", "ns", "sa");

        cache.Put(key, "credential", _clock.GetUtcNow().AddMinutes(4));

        Assert.Null(cache.Get(key));
        Assert.Equal(0, cache.Count);
    }

    [Fact]
    public void Get_OfAnotherIdentityOrAnotherToken_NeverReturnsTheCredential()
    {
        var cache = new CredentialCache<string>("c", 10, TimeSpan.Zero, _clock);
        cache.Put(CredentialKey.For("token-a", "ns", "sa"), "a");

        Assert.Null(cache.Get(CredentialKey.For("token-b", "ns", "sa")));
        Assert.Null(cache.Get(CredentialKey.For("token-a", "ns", "other")));
        Assert.Null(cache.Get(CredentialKey.For("token-a", "ns\u001fsa")));
        Assert.Null(cache.Get(CredentialKey.For(null, "ns", "sa")));
        Assert.Equal("a", cache.Get(CredentialKey.For("token-a", "ns", "sa")));
    }

    [Fact]
    public void Key_HoldsAHashOfTheSecretMaterial_NotTheMaterial()
    {
        var key = CredentialKey.For("eyJhbGciOiJSUzI1NiJ9.secret", "ns", "sa");

        Assert.DoesNotContain("eyJ", key.Value, StringComparison.Ordinal);
        Assert.DoesNotContain("eyJ", key.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Put_BeyondTheCapacity_EvictsTheLeastRecentlyUsed()
    {
        var cache = new CredentialCache<string>("c", 2, TimeSpan.Zero, _clock);
        CredentialKey Key(string name) => CredentialKey.For(null, name);
        cache.Put(Key("a"), "a");
        cache.Put(Key("b"), "b");
        Assert.Equal("a", cache.Get(Key("a")));

        cache.Put(Key("c"), "c");

        Assert.Equal(2, cache.Count);
        Assert.True(cache.Contains(Key("a")));
        Assert.False(cache.Contains(Key("b")));
        Assert.True(cache.Contains(Key("c")));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    public void ACapacityOfZeroOrLess_CachesNothing(int capacity)
    {
        var cache = new CredentialCache<object>("c", capacity, TimeSpan.Zero, _clock);
        var key = CredentialKey.For(null, "a");

        Assert.NotSame(cache.GetOrAdd(key, () => new object()), cache.GetOrAdd(key, () => new object()));
        Assert.Equal(0, cache.Count);
    }

    [Fact]
    public void AnEntryIdleLongerThanTheIdleTimeout_IsNotReused()
    {
        var cache = new CredentialCache<object>("c", 10, TimeSpan.Zero, _clock, idleTimeout: TimeSpan.FromMinutes(10));
        var key = CredentialKey.For("t", "a");
        var first = cache.GetOrAdd(key, () => new object());

        _clock.Advance(TimeSpan.FromMinutes(9));
        Assert.Same(first, cache.GetOrAdd(key, () => new object()));
        _clock.Advance(TimeSpan.FromMinutes(9));
        Assert.Same(first, cache.GetOrAdd(key, () => new object()));
        _clock.Advance(TimeSpan.FromMinutes(11));
        Assert.NotSame(first, cache.GetOrAdd(key, () => new object()));
    }

    [Fact]
    public void Lookups_AreCountedByResult_UnderTheProviderAndCacheName()
    {
        var metrics = new ProviderMetrics(new MetricsRegistry());
        var cache = new CredentialCache<string>("tokens", 10, TimeSpan.Zero, _clock);
        cache.ReportTo(metrics, "p");
        var key = CredentialKey.For("t", "a");

        cache.Get(key);
        cache.Put(key, "v", _clock.GetUtcNow().AddMinutes(1));
        cache.Get(key);
        cache.Get(key);
        _clock.Advance(TimeSpan.FromMinutes(2));
        cache.Get(key);

        Assert.Equal((1L, 2L, 1L), (metrics.CredentialLookupCount("p", "tokens", "miss"), metrics.CredentialLookupCount("p", "tokens", "hit"), metrics.CredentialLookupCount("p", "tokens", "expired")));
        Assert.Contains("provider_credential_cache_requests_total{provider=\"p\",cache=\"tokens\",result=\"hit\"} 2", metrics.Registry.Render(), StringComparison.Ordinal);
    }
}
