using Csi.ProviderHost;
using Csi.Providers.Aws.Kubernetes;
using Microsoft.Extensions.Logging;

namespace Csi.Providers.Aws;

/// <summary>
/// The regions to read from: the <c>region</c> parameter, else AWS_REGION, else the label
/// topology.kubernetes.io/region of the pod's node (pod → spec.nodeName → node); then <c>failoverRegion</c>.
/// </summary>
internal static class RegionResolver
{
    public static async Task<IReadOnlyList<string>> ResolveAsync(
        AwsParameters parameters,
        AwsEnvironment environment,
        Func<IKubernetesLookup> kubernetes,
        PodInfo pod,
        ILogger logger,
        CancellationToken cancellationToken)
    {
        var region = parameters.Region;
        if (region.Length == 0)
        {
            region = environment.Region ?? await FromNodeAsync(kubernetes, pod, logger, cancellationToken).ConfigureAwait(false);
        }
        if (parameters.FailoverRegion.Length == 0)
        {
            return [region];
        }
        if (parameters.FailoverRegion == region)
        {
            throw ProviderException.InvalidParameter(
                $"{AwsParameters.FailoverRegionKey}: {region}: failover region cannot be the same as the primary region; set failoverRegion to another region or remove it");
        }
        return [region, parameters.FailoverRegion];
    }

    private static async Task<string> FromNodeAsync(Func<IKubernetesLookup> kubernetes, PodInfo pod, ILogger logger, CancellationToken cancellationToken)
    {
        const string fix = "set the region parameter in the SecretProviderClass (this also saves two Kubernetes API calls per mount), or AWS_REGION on the provider";
        if (pod.Name.Length == 0 || pod.Namespace.Length == 0)
        {
            throw ProviderException.InvalidParameter($"{AwsParameters.RegionKey}: failed to retrieve region from node: the pod's name and namespace were not sent (the CSIDriver needs podInfoOnMount: true); {fix}");
        }
        string node;
        string? region;
        try
        {
            var lookup = kubernetes();
            node = await lookup.GetPodNodeAsync(pod.Namespace, pod.Name, cancellationToken).ConfigureAwait(false);
            if (node.Length == 0)
            {
                throw new ProviderException(ProviderErrorKind.FailedPrecondition, "RegionNotFound", $"failed to retrieve region from node. error pod {pod.Namespace}/{pod.Name} has no spec.nodeName; {fix}");
            }
            region = await lookup.GetNodeRegionAsync(node, cancellationToken).ConfigureAwait(false);
        }
        catch (ProviderException e) when (e.ErrorCode != "RegionNotFound")
        {
            throw new ProviderException(e.Kind, e.ErrorCode, $"failed to retrieve region from node. error {e.Message}; or {fix}");
        }
        if (region is null)
        {
            throw new ProviderException(ProviderErrorKind.FailedPrecondition, "RegionNotFound",
                $"failed to retrieve region from node. error Region not found: node {node} has no label {KubernetesLookup.RegionLabel}; {fix}");
        }
        AwsProviderLog.RegionFromNode(logger, region, node, pod.Namespace, pod.Name);
        return region;
    }
}
