namespace Csi.Providers.Azure;

/// <summary>A SecretProviderClass's parameters for the Azure provider, parsed and checked.</summary>
internal sealed record AzureMountParameters(
    string KeyVaultName,
    string TenantId,
    AzureCloud Cloud,
    AzureIdentityMode IdentityMode,
    string UserAssignedIdentityId,
    string ClientId,
    IReadOnlyList<KeyVaultObject> Objects)
{
    /// <summary>E.g. <c>https://myvault.vault.azure.net/</c>.</summary>
    public Uri VaultUri => new($"https://{KeyVaultName}.{Cloud.KeyVaultDnsSuffix}/");
}
