using Microsoft.Extensions.Time.Testing;
using SecretsStore.Driver.ServiceAccountTokens;

namespace SecretsStore.Driver.Tests.Unit;

/// <summary>Tokens are reused as kubelet reuses them: until 80% of their lifetime or 24 h, never up to expiry.</summary>
public sealed class ServiceAccountTokenCacheTests
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero));

    /// <summary>Pod uid-1's web-sa token for <paramref name="audience"/>, expiring <paramref name="expiresIn"/> from now.</summary>
    private void Put(ServiceAccountTokenCache cache, string audience, int? expirationSeconds, TimeSpan expiresIn, TimeSpan? lifetime)
        => cache.Put("uid-1", "web-sa", audience, expirationSeconds, "jwt-1", _time.GetUtcNow() + expiresIn, lifetime);

    /// <summary>
    /// Asserts that pod uid-1's web-sa token is still served a second before <paramref name="reuse"/> from now, and
    /// not at it; returns what was served.
    /// </summary>
    private (string? Token, DateTimeOffset Expiration) AssertReusedFor(ServiceAccountTokenCache cache, string audience, int? expirationSeconds, TimeSpan reuse)
    {
        _time.Advance(reuse - TimeSpan.FromSeconds(1));
        Assert.True(cache.TryGet("uid-1", "web-sa", audience, expirationSeconds, out var token, out var expiration));
        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.False(cache.TryGet("uid-1", "web-sa", audience, expirationSeconds, out _, out _));
        return (token, expiration);
    }

    [Fact]
    public void Token_IsReusedUntil80PercentOfItsLifetime_ThenNot()
    {
        var cache = new ServiceAccountTokenCache(_time);
        var expires = _time.GetUtcNow().AddHours(1);
        Put(cache, "vault", 3600, TimeSpan.FromHours(1), TimeSpan.FromHours(1));

        Assert.Equal(("jwt-1", expires), AssertReusedFor(cache, "vault", 3600, TimeSpan.FromMinutes(48)));
        Assert.Equal(0, cache.Count);
    }

    [Fact]
    public void LongLivedToken_IsReusedAtMost24Hours()
    {
        var cache = new ServiceAccountTokenCache(_time);
        Put(cache, "aws", 172800, TimeSpan.FromDays(2), TimeSpan.FromDays(2));

        AssertReusedFor(cache, "aws", 172800, TimeSpan.FromHours(24));
    }

    [Fact]
    public void TokenIssuedEarlierThanReceived_CountsItsLifetimeFromIssue_NotFromReceipt()
    {
        var cache = new ServiceAccountTokenCache(_time);
        // Issued 30 min ago for an hour: 80% of its life is over in 18 min.
        Put(cache, "vault", 3600, TimeSpan.FromMinutes(30), TimeSpan.FromHours(1));

        AssertReusedFor(cache, "vault", 3600, TimeSpan.FromMinutes(18));
    }

    [Fact]
    public void TokenWithoutAKnownLifetime_CountsTheTimeLeftAsItsLifetime()
    {
        var cache = new ServiceAccountTokenCache(_time);
        Put(cache, "vault", null, TimeSpan.FromMinutes(10), lifetime: null);

        AssertReusedFor(cache, "vault", null, TimeSpan.FromMinutes(8));
    }

    [Theory]
    [InlineData(-60)]
    [InlineData(0)]
    public void ExpiredToken_IsNeverKept(int secondsLeft)
    {
        var cache = new ServiceAccountTokenCache(_time);
        Put(cache, "vault", 3600, TimeSpan.FromSeconds(secondsLeft), TimeSpan.FromHours(1));

        Assert.False(cache.TryGet("uid-1", "web-sa", "vault", 3600, out _, out _));
        Assert.Equal(0, cache.Count);
    }

    [Fact]
    public void TokensAreKeptPerPodServiceAccountAudienceAndLifetime()
    {
        var cache = new ServiceAccountTokenCache(_time);
        Put(cache, "vault", 3600, TimeSpan.FromHours(1), TimeSpan.FromHours(1));

        Assert.False(cache.TryGet("uid-2", "web-sa", "vault", 3600, out _, out _));
        Assert.False(cache.TryGet("uid-1", "other-sa", "vault", 3600, out _, out _));
        Assert.False(cache.TryGet("uid-1", "web-sa", "aws", 3600, out _, out _));
        Assert.False(cache.TryGet("uid-1", "web-sa", "vault", 7200, out _, out _));
        Assert.True(cache.TryGet("uid-1", "web-sa", "vault", 3600, out _, out _));
    }

    [Fact]
    public void Forget_DropsOnlyThatPodsTokens()
    {
        var cache = new ServiceAccountTokenCache(_time);
        var expires = _time.GetUtcNow().AddHours(1);
        cache.Put("uid-1", "web-sa", "vault", 3600, "jwt-1", expires, TimeSpan.FromHours(1));
        cache.Put("uid-1", "web-sa", "aws", 3600, "jwt-2", expires, TimeSpan.FromHours(1));
        cache.Put("uid-2", "web-sa", "vault", 3600, "jwt-3", expires, TimeSpan.FromHours(1));

        cache.Forget("uid-1");

        Assert.Equal(1, cache.Count);
        Assert.True(cache.TryGet("uid-2", "web-sa", "vault", 3600, out var token, out _));
        Assert.Equal("jwt-3", token);
    }

    [Fact]
    public void FullCache_DropsTheTokenDueForRefreshSoonest()
    {
        var cache = new ServiceAccountTokenCache(_time, capacity: 2);
        var now = _time.GetUtcNow();
        cache.Put("uid-1", "sa", "a", 3600, "jwt-1", now.AddHours(1), TimeSpan.FromHours(1));
        cache.Put("uid-2", "sa", "a", 3600, "jwt-2", now.AddMinutes(30), TimeSpan.FromHours(1));

        cache.Put("uid-3", "sa", "a", 3600, "jwt-3", now.AddHours(1), TimeSpan.FromHours(1));

        Assert.Equal(2, cache.Count);
        Assert.False(cache.TryGet("uid-2", "sa", "a", 3600, out _, out _));
        Assert.True(cache.TryGet("uid-1", "sa", "a", 3600, out _, out _));
        Assert.True(cache.TryGet("uid-3", "sa", "a", 3600, out _, out _));
    }
}
