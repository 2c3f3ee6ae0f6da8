namespace LocalVolume.Driver.Tools;

/// <summary>A storage tool failed; the message carries its command line and its own error text.</summary>
public sealed class StorageToolException : Exception
{
    public StorageToolException(string message)
        : base(message)
    {
    }

    public StorageToolException()
    {
    }

    public StorageToolException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
