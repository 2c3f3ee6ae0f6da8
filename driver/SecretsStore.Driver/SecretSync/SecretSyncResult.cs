namespace SecretsStore.Driver.SecretSync;

/// <summary>Which declared Secrets are in step with the volume, and which could not be synced (by name).</summary>
public sealed record SecretSyncResult(IReadOnlyList<string> Synced, IReadOnlyList<string> Failed)
{
    public static readonly SecretSyncResult None = new([], []);
}
