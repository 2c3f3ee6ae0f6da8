namespace SecretsStore.Driver.SecretSync;

/// <summary>Keeps the Secrets of spec.secretObjects in step with mounted volumes (Kubernetes mode; a no-op standalone).</summary>
public interface ISecretSync
{
    /// <summary>
    /// Creates or updates each Secret the class declares from the files mounted at the request's target. A Secret
    /// that cannot be synced never fails the caller: it is logged, recorded as a Warning Event on the pod and
    /// listed in the result.
    /// </summary>
    Task<SecretSyncResult> SyncAsync(SecretSyncRequest request, CancellationToken cancellationToken);

    /// <summary>The volume at <paramref name="targetPath"/> is gone: its pod stops owning the Secrets it synced.</summary>
    Task ReleaseAsync(string targetPath, CancellationToken cancellationToken);
}
