using Microsoft.Extensions.Time.Testing;

namespace Csi.Providers.Vault.Tests.Unit;

public class VaultTokenSessionTests
{
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
    private int _logins;

    private Func<CancellationToken, Task<VaultLoginAuth>> Login(long leaseSeconds = 1200) => _ =>
    {
        var n = Interlocked.Increment(ref _logins);
        return Task.FromResult(new VaultLoginAuth { ClientToken = $"hvs.token-{n}", LeaseDuration = leaseSeconds, Renewable = true });
    };

    [Fact]
    public async Task Acquire_ReusesTheTokenUntilShortlyBeforeTheLeaseEnds()
    {
        var session = new VaultTokenSession(_clock);

        var first = await session.AcquireAsync(Login(), CancellationToken.None);
        _clock.Advance(TimeSpan.FromMinutes(18));
        var reused = await session.AcquireAsync(Login(), CancellationToken.None);
        _clock.Advance(TimeSpan.FromMinutes(1) + TimeSpan.FromSeconds(1));
        var renewed = await session.AcquireAsync(Login(), CancellationToken.None);

        Assert.Equal((new VaultToken("hvs.token-1", true), new VaultToken("hvs.token-1", false), new VaultToken("hvs.token-2", true)), (first, reused, renewed));
        Assert.Equal(2, _logins);
    }

    [Theory]
    [InlineData(1200, 1140)]
    [InlineData(300, 270)]
    [InlineData(10, 9)]
    public void RenewAt_IsATenthOfTheLeaseBeforeItsEnd_AtMostAMinute(long leaseSeconds, long renewAfterSeconds)
    {
        var issued = _clock.GetUtcNow();
        Assert.Equal(issued.AddSeconds(renewAfterSeconds), VaultTokenSession.RenewAt(issued, TimeSpan.FromSeconds(leaseSeconds)));
    }

    [Fact]
    public async Task Acquire_TokenWithoutLease_IsKeptUntilRefused()
    {
        var session = new VaultTokenSession(_clock);
        await session.AcquireAsync(Login(leaseSeconds: 0), CancellationToken.None);
        _clock.Advance(TimeSpan.FromDays(400));

        Assert.False((await session.AcquireAsync(Login(), CancellationToken.None)).Fresh);
        Assert.Equal(1, _logins);
    }

    [Fact]
    public async Task Acquire_ConcurrentCallers_ShareOneLogin()
    {
        var session = new VaultTokenSession(_clock);
        var gate = new TaskCompletionSource();
        Func<CancellationToken, Task<VaultLoginAuth>> slowLogin = async _ =>
        {
            Interlocked.Increment(ref _logins);
            await gate.Task;
            return new VaultLoginAuth { ClientToken = "hvs.shared", LeaseDuration = 600 };
        };

        var callers = Enumerable.Range(0, 8).Select(_ => session.AcquireAsync(slowLogin, CancellationToken.None)).ToArray();
        gate.SetResult();
        var tokens = await Task.WhenAll(callers);

        Assert.All(tokens, t => Assert.Equal("hvs.shared", t.Value));
        Assert.Equal(1, _logins);
    }

    [Fact]
    public async Task Acquire_FailedLogin_IsRetriedByTheNextCaller()
    {
        var session = new VaultTokenSession(_clock);
        var calls = 0;
        Func<CancellationToken, Task<VaultLoginAuth>> flaky = _ => ++calls == 1
            ? Task.FromException<VaultLoginAuth>(new InvalidOperationException("denied"))
            : Task.FromResult(new VaultLoginAuth { ClientToken = "hvs.ok", LeaseDuration = 600 });

        await Assert.ThrowsAsync<InvalidOperationException>(() => session.AcquireAsync(flaky, CancellationToken.None));
        Assert.Equal("hvs.ok", (await session.AcquireAsync(flaky, CancellationToken.None)).Value);
    }

    [Fact]
    public async Task Acquire_CallerCancellation_DoesNotCancelTheSharedLogin()
    {
        var session = new VaultTokenSession(_clock);
        var gate = new TaskCompletionSource();
        Func<CancellationToken, Task<VaultLoginAuth>> slowLogin = async _ =>
        {
            await gate.Task;
            return new VaultLoginAuth { ClientToken = "hvs.late", LeaseDuration = 600 };
        };
        using var cancel = new CancellationTokenSource();

        var cancelled = session.AcquireAsync(slowLogin, cancel.Token);
        var patient = session.AcquireAsync(slowLogin, CancellationToken.None);
        await cancel.CancelAsync();
        gate.SetResult();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => cancelled);
        Assert.Equal("hvs.late", (await patient).Value);
    }

    [Fact]
    public async Task Renew_ReplacesARefusedToken_Once()
    {
        var session = new VaultTokenSession(_clock);
        var first = await session.AcquireAsync(Login(), CancellationToken.None);

        var renewed = await session.RenewAsync(first.Value, Login(), CancellationToken.None);
        // A second caller that saw the same refused token gets the new one without another login.
        var alsoRenewed = await session.RenewAsync(first.Value, Login(), CancellationToken.None);

        Assert.Equal(("hvs.token-2", true), (renewed.Value, renewed.Fresh));
        Assert.Equal("hvs.token-2", alsoRenewed.Value);
        Assert.Equal(2, _logins);
    }

    [Fact]
    public void Token_ToString_HidesTheToken()
    {
        Assert.DoesNotContain("hvs.", new VaultToken("hvs.secret", true).ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("hvs.", new VaultLoginAuth { ClientToken = "hvs.secret" }.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("eyJ", new VaultLoginRequest { Jwt = "eyJhbGciOi", Role = "r" }.ToString(), StringComparison.Ordinal);
    }
}
