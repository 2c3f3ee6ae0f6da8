using Csi.Sandboxes.Common;

namespace Csi.Sandboxes.Azure;

/// <summary>How a <see cref="KeyVaultSandbox"/> starts.</summary>
public sealed class KeyVaultSandboxOptions
{
    /// <summary>The Azure AD tenant vaults belong to and managed identities live in; a fresh GUID by default.</summary>
    public string TenantId { get; set; } = Guid.NewGuid().ToString();

    /// <summary>The sandbox clock: token expiry, <c>created</c>/<c>updated</c> attributes.</summary>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;

    /// <summary>Signer of the Kubernetes service-account tokens accepted as client assertions; one is created when null.</summary>
    public ServiceAccountTokenIssuer? TokenIssuer { get; set; }

    /// <summary>Lifetime of the access tokens the AAD and IMDS endpoints issue.</summary>
    public TimeSpan AccessTokenLifetime { get; set; } = TimeSpan.FromHours(1);

    /// <summary>The DNS suffix vault hosts end with (<c>vault.azure.net</c> for the public cloud).</summary>
    public string VaultDnsSuffix { get; set; } = "vault.azure.net";

    /// <summary>The AAD authority host the challenge names and tokens are issued by.</summary>
    public Uri AuthorityHost { get; set; } = new("https://login.microsoftonline.com/");

    /// <summary>The TLS server name of the identity-binding token proxy (AKS derives it from the cluster).</summary>
    public string TokenProxySniName { get; set; } = "asandboxidentitybinding.ests.aks";
}
