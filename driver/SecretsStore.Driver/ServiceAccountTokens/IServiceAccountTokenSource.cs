using SecretsStore.Driver.Events;

namespace SecretsStore.Driver.ServiceAccountTokens;

/// <summary>Service-account tokens for a rotation the driver starts itself, where kubelet is not there to pass them (kept for most of their lifetime, as kubelet keeps them).</summary>
public interface IServiceAccountTokenSource
{
    /// <summary>
    /// The <c>csi.storage.k8s.io/serviceAccount.tokens</c> value for the pod, formatted as kubelet formats it, or
    /// null when the CSIDriver asks for no tokens. Throws <see cref="Publishing.SecretsStoreException"/> when a
    /// token cannot be had; the message never carries a token.
    /// </summary>
    Task<string?> GetTokensAsync(PodReference pod, string serviceAccountName, CancellationToken cancellationToken);

    /// <summary>The pod's last volume on this node is gone: tokens kept for it are dropped.</summary>
    void Forget(string podUid);
}
