namespace SecretsStore.Driver.SecretSync;

/// <summary>A Secret from spec.secretObjects could not be synced. The message names the Secret and the fix, never its content.</summary>
public sealed class SecretSyncException : Exception
{
    public SecretSyncException(string message, Exception? innerException = null)
        : base(message, innerException)
    {
    }

    public SecretSyncException()
    {
    }

    public SecretSyncException(string message)
        : base(message)
    {
    }
}
