namespace SecretsStore.Driver.SecretProviderClasses;

/// <summary>A manifest that is not a valid SecretProviderClass; the message names the field and the fix.</summary>
public sealed class ManifestException : Exception
{
    public ManifestException(string message)
        : base(message)
    {
    }

    public ManifestException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public ManifestException()
    {
    }
}
