namespace SecretsStore.Driver.SecretSync;

/// <summary>Standalone mode: there is no API to write Secrets to.</summary>
public sealed class NoSecretSync : ISecretSync
{
    public Task<SecretSyncResult> SyncAsync(SecretSyncRequest request, CancellationToken cancellationToken) => Task.FromResult(SecretSyncResult.None);

    public Task ReleaseAsync(string targetPath, CancellationToken cancellationToken) => Task.CompletedTask;
}
