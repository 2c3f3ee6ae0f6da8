namespace Csi.Providers.Vault;

/// <summary>
/// The Vault token of one pod's configuration. Reused until shortly before its lease ends; one login at a time
/// (concurrent fetches wait for it); after a 403 with a reused token, replaced once by a new login.
/// </summary>
internal sealed class VaultTokenSession
{
    /// <summary>Renew this long before the lease ends, at most.</summary>
    public static readonly TimeSpan MaxRenewMargin = TimeSpan.FromMinutes(1);

    private readonly TimeProvider _time;
    private readonly Lock _gate = new();
    private string? _token;
    private DateTimeOffset _renewAt;
    private Task<string>? _login;

    public VaultTokenSession(TimeProvider time)
    {
        _time = time;
    }

    /// <summary>True while a token is held that is not due for renewal.</summary>
    public bool HasUsableToken
    {
        get
        {
            lock (_gate)
            {
                return _token is not null && _time.GetUtcNow() < _renewAt;
            }
        }
    }

    /// <summary>The held token, or a new one from <paramref name="login"/> (shared with concurrent callers).</summary>
    public async Task<VaultToken> AcquireAsync(Func<CancellationToken, Task<VaultLoginAuth>> login, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(login);
        Task<string> pending;
        lock (_gate)
        {
            if (_token is not null && _time.GetUtcNow() < _renewAt)
            {
                return new VaultToken(_token, Fresh: false);
            }
            if (_login is null || _login.IsCompleted)
            {
                // Not tied to one caller's cancellation: others may be waiting for the same login. The client bounds it.
                _login = Task.Run(() => LoginAsync(login), CancellationToken.None);
            }
            pending = _login;
        }
        return new VaultToken(await pending.WaitAsync(cancellationToken).ConfigureAwait(false), Fresh: true);
    }

    /// <summary>After Vault refused <paramref name="failedToken"/>: a new login, unless another caller already replaced it.</summary>
    public Task<VaultToken> RenewAsync(string failedToken, Func<CancellationToken, Task<VaultLoginAuth>> login, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            if (string.Equals(_token, failedToken, StringComparison.Ordinal))
            {
                _token = null;
            }
        }
        return AcquireAsync(login, cancellationToken);
    }

    private async Task<string> LoginAsync(Func<CancellationToken, Task<VaultLoginAuth>> login)
    {
        var started = _time.GetUtcNow();
        var auth = await login(CancellationToken.None).ConfigureAwait(false);
        var token = auth.ClientToken!;
        lock (_gate)
        {
            _token = token;
            _renewAt = RenewAt(started, TimeSpan.FromSeconds(auth.LeaseDuration));
        }
        return token;
    }

    /// <summary>A lease of 0 (a token that does not expire) is kept until Vault refuses it.</summary>
    internal static DateTimeOffset RenewAt(DateTimeOffset issued, TimeSpan lease)
    {
        if (lease <= TimeSpan.Zero)
        {
            return DateTimeOffset.MaxValue;
        }
        var margin = lease / 10 < MaxRenewMargin ? lease / 10 : MaxRenewMargin;
        return issued + lease - margin;
    }
}
