namespace Csi.Providers.Azure;

/// <summary>What a SecretProviderClass object reads: <c>objectType</c> secret, key or cert.</summary>
internal enum KeyVaultObjectType
{
    Secret,
    Key,
    Certificate,
}
