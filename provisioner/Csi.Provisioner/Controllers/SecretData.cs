using System.Text;
using Csi.Kubernetes;
using Csi.Kubernetes.Models;
using Csi.Provisioner.Provisioning;

namespace Csi.Provisioner.Controllers;

/// <summary>
/// The data of a Secret named by a StorageClass parameter or a PV annotation, as the strings CSI requests carry; a
/// Secret that cannot be read or does not exist is a <see cref="ProvisioningException"/> in the caller's words.
/// </summary>
internal static class SecretData
{
    public static async Task<IReadOnlyDictionary<string, string>> ReadAsync(KubernetesApiClient client, string? ns, string name, Func<KubernetesApiException, string> unreadable, string missing, CancellationToken cancellationToken)
    {
        SecretResource? secret;
        try
        {
            secret = await client.GetAsync(ApiResource.Secrets, ns, name, KubernetesJsonContext.Default.SecretResource, cancellationToken).ConfigureAwait(false);
        }
        catch (KubernetesApiException e)
        {
            throw new ProvisioningException(unreadable(e), e);
        }
        if (secret is null)
        {
            throw new ProvisioningException(missing);
        }
        return (secret.Data ?? []).ToDictionary(p => p.Key, p => Encoding.UTF8.GetString(p.Value), StringComparer.Ordinal);
    }
}
