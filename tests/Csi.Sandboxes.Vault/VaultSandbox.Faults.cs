namespace Csi.Sandboxes.Vault;

/// <summary>Injected faults: failed and delayed requests, dropped and refused connections, a sealed Vault.</summary>
public sealed partial class VaultSandbox
{
    /// <summary>
    /// The next <paramref name="count"/> requests whose path (after <c>/v1/</c>, namespace prefix included) starts with
    /// <paramref name="pathPrefix"/> get <paramref name="statusCode"/> with <c>{"errors":[message]}</c>.
    /// </summary>
    public void FailNextRequests(string pathPrefix, int count, int statusCode = 500, string? errorMessage = null, string? method = null)
    {
        ArgumentNullException.ThrowIfNull(pathPrefix);
        _faults.AddFailure(pathPrefix, method, count, statusCode, errorMessage);
    }

    /// <summary>The next <paramref name="count"/> matching requests are answered only after <paramref name="delay"/>.</summary>
    public void DelayNextRequests(string pathPrefix, int count, TimeSpan delay, string? method = null)
    {
        ArgumentNullException.ThrowIfNull(pathPrefix);
        _faults.AddDelay(pathPrefix, method, count, delay);
    }

    /// <summary>Forgets pending injected failures and delays.</summary>
    public void ClearFaults() => _faults.Clear();

    /// <summary>While true, connections are reset (new ones before TLS/HTTP, existing ones on their next request).</summary>
    public bool DropConnections
    {
        get => _server?.DropConnections ?? false;
        set
        {
            if (_server is not null)
            {
                _server.DropConnections = value;
            }
        }
    }

    /// <summary>Closes the listener: connections are refused until <see cref="ResumeAcceptingConnectionsAsync"/>. State is kept.</summary>
    public Task StopAcceptingConnectionsAsync(CancellationToken cancellationToken = default) =>
        _server?.StopAsync(cancellationToken) ?? Task.CompletedTask;

    /// <summary>Listens again on the same address and port.</summary>
    public Task ResumeAcceptingConnectionsAsync(CancellationToken cancellationToken = default) =>
        _server?.RestartAsync(cancellationToken) ?? Task.CompletedTask;

    /// <summary>True while sealed: <c>sys/health</c> answers 503 and every other request 503 <c>Vault is sealed</c>.</summary>
    public bool IsSealed => Locked(() => _core.Sealed);

    public void Seal() => Locked(() => _core.Sealed = true);

    public void Unseal() => Locked(() => _core.Sealed = false);
}
