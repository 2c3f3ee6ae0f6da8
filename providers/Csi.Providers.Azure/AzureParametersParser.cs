using System.Text.RegularExpressions;
using Csi.Common;
using Csi.Common.Flags;
using Csi.ProviderHost;

namespace Csi.Providers.Azure;

/// <summary>
/// Reads a mount's SecretProviderClass parameters the way the upstream Azure provider reads them, in its order:
/// pod, identity flags, keyvaultName, tenantID, cloud, credential, objects, then the vault name's shape.
/// </summary>
internal static partial class AzureParametersParser
{
    public const string KeyVaultName = "keyvaultName";
    public const string TenantId = "tenantID";
    public const string DeprecatedTenantId = "tenantId";
    public const string CloudName = "cloudName";
    public const string CloudEnvFileName = "cloudEnvFileName";
    public const string UsePodIdentity = "usePodIdentity";
    public const string UseVMManagedIdentity = "useVMManagedIdentity";
    public const string UseAzureTokenProxy = "useAzureTokenProxy";
    public const string UserAssignedIdentityId = "userAssignedIdentityID";
    public const string ClientId = "clientID";

    /// <summary>Parses everything; throws <see cref="ProviderException"/> naming the parameter and the fix.</summary>
    public static AzureMountParameters Parse(
        IReadOnlyDictionary<string, string> parameters,
        IReadOnlyDictionary<string, string> secrets,
        IReadOnlyDictionary<string, ServiceAccountToken> tokens,
        AzureCloud defaultCloud,
        out AzureCredentialSettings credential)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        ArgumentNullException.ThrowIfNull(secrets);
        ArgumentNullException.ThrowIfNull(tokens);
        ArgumentNullException.ThrowIfNull(defaultCloud);

        string Get(string key) => parameters.TryGetValue(key, out var value) ? value.Trim() : string.Empty;

        if (Get(VolumeContextKeys.PodName).Length == 0)
        {
            throw ProviderException.InvalidParameter("pod name is not provided; the CSIDriver secrets-store.csi.k8s.io needs podInfoOnMount: true");
        }

        if (Get(VolumeContextKeys.PodNamespace).Length == 0)
        {
            throw ProviderException.InvalidParameter("pod namespace is not provided; the CSIDriver secrets-store.csi.k8s.io needs podInfoOnMount: true");
        }

        var podIdentity = Flag(Get(UsePodIdentity), UsePodIdentity);
        var vmIdentity = Flag(Get(UseVMManagedIdentity), UseVMManagedIdentity);
        var tokenProxy = Flag(Get(UseAzureTokenProxy), UseAzureTokenProxy);
        if ((podIdentity ? 1 : 0) + (vmIdentity ? 1 : 0) + (tokenProxy ? 1 : 0) > 1)
        {
            throw ProviderException.InvalidParameter("only one identity mode can be enabled at a time: usePodIdentity, useVMManagedIdentity, or useAzureTokenProxy");
        }

        var mode = podIdentity ? AzureIdentityMode.PodIdentity
            : vmIdentity ? AzureIdentityMode.VMManagedIdentity
            : tokenProxy ? AzureIdentityMode.AzureTokenProxy
            : AzureIdentityMode.None;

        var vaultName = Get(KeyVaultName);
        if (vaultName.Length == 0)
        {
            throw ProviderException.InvalidParameter($"{KeyVaultName} is not provided; set it to the vault's name (the first label of https://<name>.vault.azure.net)");
        }

        var tenant = Get(TenantId);
        if (tenant.Length == 0)
        {
            tenant = Get(DeprecatedTenantId);
        }

        if (tenant.Length == 0)
        {
            throw ProviderException.InvalidParameter($"tenantId is not provided; set {TenantId} to the vault's Azure AD tenant id");
        }

        var cloudName = Get(CloudName);
        var cloud = defaultCloud;
        if (cloudName.Length > 0)
        {
            var environmentFile = Get(CloudEnvFileName);
            cloud = AzureCloud.FromName(cloudName, environmentFile.Length > 0 ? environmentFile : Environment.GetEnvironmentVariable(AzureCloud.EnvironmentFilePathVariable), out var cloudError)
                ?? throw ProviderException.InvalidParameter($"{CloudName}: cloudName {cloudName} is not valid, error: {cloudError}; use AzurePublicCloud, AzureUSGovernmentCloud, AzureChinaCloud, AzureGermanCloud or AzureStackCloud");
        }

        credential = Credential(mode, Get(ClientId), Get(UserAssignedIdentityId), secrets, tokens);

        var objectsText = Get(KeyVaultObjectsParser.Parameter);
        if (objectsText.Length == 0)
        {
            throw ProviderException.InvalidParameter($"{KeyVaultObjectsParser.Parameter} is not set; list the secrets, keys and certificates to mount under objects.array");
        }

        var objects = KeyVaultObjectsParser.Parse(objectsText);

        // Upstream checks the name only when there is something to fetch; an empty array mounts nothing.
        if (objects.Count > 0)
        {
            if (vaultName.Length is < 3 or > 24)
            {
                throw ProviderException.InvalidParameter($"{KeyVaultName}: Invalid vault name: \"{vaultName}\", must be between 3 and 24 chars");
            }

            if (!VaultNamePattern().IsMatch(vaultName))
            {
                throw ProviderException.InvalidParameter($"{KeyVaultName}: Invalid vault name: \"{vaultName}\", must match [-a-zA-Z0-9]{{3,24}}");
            }
        }

        return new AzureMountParameters(vaultName, tenant, cloud, mode, Get(UserAssignedIdentityId), Get(ClientId), objects);
    }

    private static AzureCredentialSettings Credential(
        AzureIdentityMode mode,
        string clientId,
        string userAssignedIdentityId,
        IReadOnlyDictionary<string, string> secrets,
        IReadOnlyDictionary<string, ServiceAccountToken> tokens)
    {
        string? assertion = null;
        if (mode == AzureIdentityMode.AzureTokenProxy)
        {
            if (clientId.Length == 0)
            {
                throw ProviderException.InvalidParameter($"{ClientId}: clientID is required for identity binding (useAzureTokenProxy)");
            }

            assertion = RequireToken(tokens, AzureCredentialSettings.IdentityBindingAudience, "identity binding");
        }
        else if (clientId.Length > 0)
        {
            assertion = RequireToken(tokens, AzureCredentialSettings.WorkloadIdentityAudience, "workload identity");
        }

        var settings = new AzureCredentialSettings
        {
            Mode = mode,
            ClientId = clientId,
            ServiceAccountToken = assertion,
            UserAssignedIdentityId = userAssignedIdentityId,
        };
        if (mode != AzureIdentityMode.None || settings.UsesWorkloadIdentity)
        {
            return settings;
        }

        if (secrets.Count == 0)
        {
            throw ProviderException.InvalidParameter(
                "failed to get credentials, nodePublishSecretRef secret is not set; set clientID for workload identity, useVMManagedIdentity, or a nodePublishSecretRef with clientid and clientsecret");
        }

        var spClientId = string.Empty;
        var spSecret = string.Empty;
        foreach (var (key, value) in secrets)
        {
            switch (key.ToLowerInvariant())
            {
                case "clientid":
                    spClientId = value;
                    break;
                case "clientsecret":
                    spSecret = value;
                    break;
            }
        }

        if (spClientId.Length == 0)
        {
            throw ProviderException.InvalidParameter("could not find clientid in secrets; the nodePublishSecretRef secret needs the keys clientid and clientsecret");
        }

        if (spSecret.Length == 0)
        {
            throw ProviderException.InvalidParameter("could not find clientsecret in secrets; the nodePublishSecretRef secret needs the keys clientid and clientsecret");
        }

        return settings with { ServicePrincipalClientId = spClientId, ServicePrincipalSecret = spSecret };
    }

    private static string RequireToken(IReadOnlyDictionary<string, ServiceAccountToken> tokens, string audience, string purpose) =>
        tokens.TryGetValue(audience, out var token)
            ? token.Token
            : throw ProviderException.InvalidParameter(
                $"failed to parse {purpose} tokens: token for audience {audience} not found; add {{audience: {audience}}} to tokenRequests of the CSIDriver secrets-store.csi.k8s.io");

    private static bool Flag(string text, string name)
    {
        if (text.Length == 0)
        {
            return false;
        }

        return GoBool.TryParse(text, out var value)
            ? value
            : throw ProviderException.InvalidParameter($"{name}: failed to parse {name} flag, error: strconv.ParseBool: parsing \"{text}\": invalid syntax; use true or false");
    }

    [GeneratedRegex("^[-A-Za-z0-9]+$")]
    private static partial Regex VaultNamePattern();
}
