using Csi.ProviderHost.Credentials;

namespace Csi.Providers.Azure;

/// <summary>
/// Which mounts share one credential, so its Azure AD token (cached inside the credential until shortly before it
/// expires) serves every mount of that identity: the identity mode, tenant, cloud and client ids, plus a hash of the
/// pod token or client secret. A rotated token or secret gets a credential of its own. Pod identity answers per pod,
/// so the pod is part of its key; the other modes are per identity.
/// </summary>
internal static class AzureCredentialKey
{
    public static CredentialKey For(AzureCredentialSettings settings, AzureMountParameters parameters, string podNamespace, string podName)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(parameters);
        var pod = settings.Mode == AzureIdentityMode.PodIdentity ? podNamespace + "/" + podName : string.Empty;
        return CredentialKey.For(settings.ServiceAccountToken ?? settings.ServicePrincipalSecret,
            settings.Mode.ToString(), settings.UsesWorkloadIdentity ? "wi" : "-", parameters.TenantId, parameters.Cloud.ActiveDirectoryEndpoint.ToString(),
            parameters.Cloud.KeyVaultEndpoint.ToString(), settings.ClientId, settings.UserAssignedIdentityId, settings.ServicePrincipalClientId, pod);
    }
}
