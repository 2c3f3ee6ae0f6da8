namespace Csi.Providers.Aws.Kubernetes;

/// <summary>The three Kubernetes reads the provider needs.</summary>
internal interface IKubernetesLookup
{
    /// <summary>The service account's <c>eks.amazonaws.com/role-arn</c> annotation, or null when it has none.</summary>
    Task<string?> GetRoleArnAsync(string @namespace, string serviceAccount, CancellationToken cancellationToken);

    /// <summary>The name of the node the pod runs on.</summary>
    Task<string> GetPodNodeAsync(string @namespace, string pod, CancellationToken cancellationToken);

    /// <summary>The node's <c>topology.kubernetes.io/region</c> label, or null when it has none.</summary>
    Task<string?> GetNodeRegionAsync(string node, CancellationToken cancellationToken);
}
