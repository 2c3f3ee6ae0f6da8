using System.Text.Json;

namespace Csi.Providers.Azure;

/// <summary>An Azure cloud's endpoints: where tokens come from and what vault hosts end with.</summary>
/// <param name="Name">The cloud name as go-autorest spells it.</param>
/// <param name="ActiveDirectoryEndpoint">The AAD authority host.</param>
/// <param name="KeyVaultEndpoint">The Key Vault resource tokens are issued for.</param>
/// <param name="KeyVaultDnsSuffix">Vault hosts are <c>&lt;name&gt;.&lt;suffix&gt;</c>.</param>
internal sealed record AzureCloud(string Name, Uri ActiveDirectoryEndpoint, Uri KeyVaultEndpoint, string KeyVaultDnsSuffix)
{
    /// <summary>The environment variable go-autorest reads AzureStackCloud's endpoints from.</summary>
    public const string EnvironmentFilePathVariable = "AZURE_ENVIRONMENT_FILEPATH";

    public const string StackCloudName = "AzureStackCloud";

    public static readonly AzureCloud Public = new("AzurePublicCloud", new("https://login.microsoftonline.com/"), new("https://vault.azure.net/"), "vault.azure.net");

    public static readonly AzureCloud USGovernment = new("AzureUSGovernmentCloud", new("https://login.microsoftonline.us/"), new("https://vault.usgovcloudapi.net/"), "vault.usgovcloudapi.net");

    public static readonly AzureCloud China = new("AzureChinaCloud", new("https://login.chinacloudapi.cn/"), new("https://vault.azure.cn/"), "vault.azure.cn");

    public static readonly AzureCloud Germany = new("AzureGermanCloud", new("https://login.microsoftonline.de/"), new("https://vault.microsoftazure.de/"), "vault.microsoftazure.de");

    /// <summary>The scope to ask AAD for: the Key Vault resource plus <c>/.default</c>.</summary>
    public string KeyVaultScope => KeyVaultEndpoint.ToString().TrimEnd('/') + "/.default";

    /// <summary>
    /// The cloud for a name, case-insensitively as go-autorest matches it; AzureStackCloud is read from
    /// <paramref name="environmentFile"/> (cloudEnvFileName, else AZURE_ENVIRONMENT_FILEPATH). Null with
    /// <paramref name="error"/> when the name or file is not usable.
    /// </summary>
    public static AzureCloud? FromName(string name, string? environmentFile, out string? error)
    {
        error = null;
        switch (name.ToUpperInvariant())
        {
            case "AZUREPUBLICCLOUD":
                return Public;
            case "AZUREUSGOVERNMENTCLOUD":
                return USGovernment;
            case "AZURECHINACLOUD":
                return China;
            case "AZUREGERMANCLOUD":
                return Germany;
            case "AZURESTACKCLOUD":
                return FromFile(environmentFile, out error);
            default:
                error = $"autorest/azure: There is no cloud environment matching the name \"{name.ToUpperInvariant()}\"";
                return null;
        }
    }

    private static AzureCloud? FromFile(string? path, out string? error)
    {
        if (string.IsNullOrEmpty(path))
        {
            error = $"{StackCloudName} needs its endpoints in a JSON file: set cloudEnvFileName (or {EnvironmentFilePathVariable}) to the file's path on the node";
            return null;
        }

        try
        {
            using var document = JsonDocument.Parse(File.ReadAllBytes(path));
            var root = document.RootElement;
            string Read(string field) => root.TryGetProperty(field, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString()! : string.Empty;
            var activeDirectory = Read("activeDirectoryEndpoint");
            var keyVault = Read("keyVaultEndpoint");
            var suffix = Read("keyVaultDNSSuffix");
            if (!Uri.TryCreate(activeDirectory, UriKind.Absolute, out var adUri) || !Uri.TryCreate(keyVault, UriKind.Absolute, out var kvUri) || suffix.Length == 0)
            {
                error = $"{path}: activeDirectoryEndpoint and keyVaultEndpoint must be absolute URLs and keyVaultDNSSuffix must be set";
                return null;
            }

            error = null;
            return new AzureCloud(Read("name") is { Length: > 0 } n ? n : StackCloudName, adUri, kvUri, suffix.TrimStart('.'));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or JsonException)
        {
            error = $"cannot read the cloud environment file {path}: {e.Message}";
            return null;
        }
    }
}
