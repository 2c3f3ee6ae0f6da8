using Azure.Core;
using Azure.Core.Pipeline;
using Azure.Identity;
using Csi.ProviderHost;

namespace Csi.Providers.Azure;

/// <summary>Builds the Azure.Identity credential a mount's settings call for.</summary>
internal static class AzureCredentialFactory
{
    public static TokenCredential Create(AzureCredentialSettings settings, AzureMountParameters parameters, PodInfo pod, HttpPipelineTransport? transport, HttpPipelineTransport? tokenProxy = null)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(parameters);
        T With<T>(T options)
            where T : TokenCredentialOptions
        {
            options.AuthorityHost = parameters.Cloud.ActiveDirectoryEndpoint;
            if (transport is not null)
            {
                options.Transport = transport;
            }

            return options;
        }

        switch (settings.Mode)
        {
            case AzureIdentityMode.VMManagedIdentity:
                var id = settings.UserAssignedIdentityId.Length > 0
                    ? ManagedIdentityId.FromUserAssignedClientId(settings.UserAssignedIdentityId)
                    : ManagedIdentityId.SystemAssigned;
                var managed = new ManagedIdentityCredentialOptions(id);
                if (transport is not null)
                {
                    managed.Transport = transport;
                }

                return new ManagedIdentityCredential(managed);
            case AzureIdentityMode.PodIdentity:
                return new PodIdentityCredential(pod.Namespace, pod.Name, parameters.Cloud.KeyVaultEndpoint.ToString().TrimEnd('/'), transport);
            case AzureIdentityMode.None when settings.UsesWorkloadIdentity:
                var assertion = settings.ServiceAccountToken!;
                return new ClientAssertionCredential(parameters.TenantId, settings.ClientId, _ => Task.FromResult(assertion), With(new ClientAssertionCredentialOptions()));
            case AzureIdentityMode.AzureTokenProxy when tokenProxy is not null:
                // The proxy stands in for the authority, so there is no instance to discover.
                var binding = settings.ServiceAccountToken!;
                return new ClientAssertionCredential(parameters.TenantId, settings.ClientId, _ => Task.FromResult(binding), new ClientAssertionCredentialOptions
                {
                    AuthorityHost = parameters.Cloud.ActiveDirectoryEndpoint,
                    DisableInstanceDiscovery = true,
                    Transport = tokenProxy,
                });
            case AzureIdentityMode.None:
                return new ClientSecretCredential(parameters.TenantId, settings.ServicePrincipalClientId, settings.ServicePrincipalSecret, With(new ClientSecretCredentialOptions()));
            default:
                throw new ProviderException(ProviderErrorKind.Internal, "IdentityModeNotConfigured",
                    $"identity mode {settings.Mode} needs a transport it was not given");
        }
    }
}
