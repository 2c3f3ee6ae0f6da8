using Csi.Sandboxes.Kubernetes.Internal;

namespace Csi.Sandboxes.Kubernetes;

/// <summary>Injected faults: failed and delayed requests, dropped and refused connections.</summary>
public sealed partial class KubernetesSandbox
{
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

    /// <summary>
    /// The next <paramref name="count"/> requests matching every given filter are answered with
    /// <paramref name="statusCode"/> and the Status the API server would send (403 names user, verb, resource and
    /// namespace as an RBAC denial does; 429 carries Retry-After). <paramref name="resource"/> is a plural
    /// (<c>pods</c> also matches its subresources) or <c>resource/subresource</c>; <paramref name="verb"/> a
    /// Kubernetes verb (get, list, watch, create, update, patch, delete, deletecollection).
    /// </summary>
    public void FailNextRequests(int count, int statusCode, string? verb = null, string? resource = null, string? @namespace = null, string? name = null, TimeSpan? retryAfter = null, string? message = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(count);
        ArgumentOutOfRangeException.ThrowIfLessThan(statusCode, 400);
        _faults.Add(new FaultInjector.Rule(count, verb, resource, @namespace, name) { StatusCode = statusCode, RetryAfter = retryAfter, Message = message });
    }

    /// <summary>The next <paramref name="count"/> matching requests are answered only after <paramref name="delay"/>.</summary>
    public void DelayNextRequests(int count, TimeSpan delay, string? verb = null, string? resource = null, string? @namespace = null, string? name = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(count);
        _faults.Add(new FaultInjector.Rule(count, verb, resource, @namespace, name) { IsDelay = true, Delay = delay });
    }

    /// <summary>Forgets pending injected failures and delays.</summary>
    public void ClearFaults() => _faults.Clear();

    /// <summary>Closes the listener: connections are refused until <see cref="ResumeAcceptingConnectionsAsync"/>. State is kept.</summary>
    public Task StopAcceptingConnectionsAsync(CancellationToken cancellationToken = default) =>
        _server?.StopAsync(cancellationToken) ?? Task.CompletedTask;

    /// <summary>Listens again on the same address and port.</summary>
    public Task ResumeAcceptingConnectionsAsync(CancellationToken cancellationToken = default) =>
        _server?.RestartAsync(cancellationToken) ?? Task.CompletedTask;
}
