using Csi.Kubernetes.Models;

namespace SecretsStore.Driver.Kubernetes.Models;

/// <summary>authentication.k8s.io/v1 TokenRequest, posted to <c>serviceaccounts/{name}/token</c>; the answer carries the token in status.</summary>
public sealed class TokenRequestResource
{
    public string ApiVersion { get; set; } = "authentication.k8s.io/v1";

    public string Kind { get; set; } = "TokenRequest";

    public ObjectMeta Metadata { get; set; } = new();

    public TokenRequestSpec Spec { get; set; } = new();

    public TokenRequestStatus? Status { get; set; }
}
