using Csi.Sandboxes.Vault.Internal;

namespace Csi.Sandboxes.Vault;

/// <summary>The requests answered so far, for tests to inspect.</summary>
public sealed partial class VaultSandbox
{
    /// <summary>Every request answered so far (method, path, namespace, status), oldest first.</summary>
    public IReadOnlyList<VaultRequestLogEntry> RequestLog => _log.Snapshot();

    /// <summary>
    /// Counts logged requests matching all given filters. <paramref name="pathPrefix"/> is compared with the path after
    /// <c>/v1/</c> (a leading <c>/v1/</c> in the filter is ignored); <paramref name="vaultNamespace"/> with the resolved namespace.
    /// </summary>
    public int CountRequests(string? method = null, string? pathPrefix = null, int? statusCode = null, string? vaultNamespace = null)
    {
        var prefix = pathPrefix?.TrimStart('/');
        if (prefix is not null && prefix.StartsWith("v1/", StringComparison.Ordinal))
        {
            prefix = prefix[3..];
        }

        var ns = vaultNamespace is null ? null : VaultCore.NormalizeNamespace(vaultNamespace);
        return _log.Snapshot().Count(e =>
            (method is null || string.Equals(e.Method, method, StringComparison.OrdinalIgnoreCase))
            && (prefix is null || e.Path.TrimStart('/').StartsWith("v1/" + prefix, StringComparison.Ordinal))
            && (statusCode is null || e.StatusCode == statusCode)
            && (ns is null || string.Equals(e.Namespace, ns, StringComparison.Ordinal)));
    }

    public void ClearRequestLog() => _log.Clear();
}
