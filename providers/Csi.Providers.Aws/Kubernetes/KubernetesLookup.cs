using System.Net;
using System.Text.Json.Serialization.Metadata;
using Csi.Common.RateLimiting;
using Csi.Kubernetes;
using Csi.ProviderHost;

namespace Csi.Providers.Aws.Kubernetes;

/// <summary>
/// Reads service accounts, pods and nodes through the suite's Kubernetes client, each call paced by the
/// --qps/--burst token bucket. The client is made on first use: in-cluster, else the kubeconfig from --kubeconfig
/// or KUBECONFIG.
/// </summary>
internal sealed class KubernetesLookup : IKubernetesLookup, IDisposable
{
    public const string RoleArnAnnotation = "eks.amazonaws.com/role-arn";
    public const string RegionLabel = "topology.kubernetes.io/region";

    private readonly Lazy<KubernetesApiClient> _client;
    private readonly bool _ownsClient;

    public KubernetesLookup(Func<TokenBucket, KubernetesApiClient> clientFactory, TokenBucket limiter, bool ownsClient = true)
    {
        _client = new Lazy<KubernetesApiClient>(() => clientFactory(limiter), LazyThreadSafetyMode.ExecutionAndPublication);
        _ownsClient = ownsClient;
    }

    /// <summary>In-cluster when running in a pod; else the kubeconfig file (--kubeconfig, then KUBECONFIG, then ~/.kube/config).</summary>
    public static KubernetesApiClient CreateClient(string kubeconfig, TokenBucket limiter, string version)
    {
        KubernetesConnection connection;
        try
        {
            if (kubeconfig.Length == 0 && KubernetesConnection.IsInCluster())
            {
                connection = KubernetesConnection.InCluster();
            }
            else
            {
                var path = kubeconfig.Length > 0 ? kubeconfig
                    : Environment.GetEnvironmentVariable("KUBECONFIG") is { Length: > 0 } env ? env.Split(Path.PathSeparator)[0]
                    : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".kube", "config");
                connection = KubernetesConnection.FromKubeconfig(path);
            }
        }
        catch (Exception e) when (e is KubeconfigException or IOException or UnauthorizedAccessException)
        {
            throw new ProviderException(ProviderErrorKind.FailedPrecondition, "KubernetesUnavailable",
                $"cannot reach the Kubernetes API to look up the pod's region or role: {e.Message}; run the provider in the cluster, or set the region parameter and use Pod Identity");
        }
        return new KubernetesApiClient(connection, limiter, "secrets-store-csi-driver-provider-aws/" + version, "grant the provider's service account get on serviceaccounts, pods and nodes (the Helm chart's ClusterRole does)");
    }

    public async Task<string?> GetRoleArnAsync(string @namespace, string serviceAccount, CancellationToken cancellationToken)
    {
        var account = await GetAsync($"service account {@namespace}/{serviceAccount}", "serviceaccounts", ApiResource.ServiceAccounts, @namespace, serviceAccount, KubernetesJsonContext.Default.ObjectMetadataResource, cancellationToken).ConfigureAwait(false);
        return account.Metadata.Annotations is { } annotations && annotations.TryGetValue(RoleArnAnnotation, out var arn) && arn.Length > 0 ? arn : null;
    }

    public async Task<string> GetPodNodeAsync(string @namespace, string pod, CancellationToken cancellationToken)
    {
        var found = await GetAsync($"pod {@namespace}/{pod}", "pods", ApiResource.Pods, @namespace, pod, AwsKubernetesJsonContext.Default.PodNodeResource, cancellationToken).ConfigureAwait(false);
        return found.Spec?.NodeName ?? string.Empty;
    }

    public async Task<string?> GetNodeRegionAsync(string node, CancellationToken cancellationToken)
    {
        var found = await GetAsync($"node {node}", "nodes", ApiResource.Nodes, null, node, KubernetesJsonContext.Default.ObjectMetadataResource, cancellationToken).ConfigureAwait(false);
        return found.Metadata.Labels is { } labels && labels.TryGetValue(RegionLabel, out var region) && region.Length > 0 ? region : null;
    }

    private async Task<T> GetAsync<T>(string what, string resource, ApiResource kind, string? @namespace, string name, JsonTypeInfo<T> type, CancellationToken cancellationToken)
        where T : class
    {
        try
        {
            return await _client.Value.GetAsync(kind, @namespace, name, type, cancellationToken).ConfigureAwait(false)
                ?? throw new ProviderException(ProviderErrorKind.NotFound, "KubernetesLookupFailed", $"failed to get {what}: HTTP 404 Not Found; the {resource[..^1]} does not exist");
        }
        catch (KubernetesApiException e)
        {
            var (code, fix) = e.StatusCode switch
            {
                (int)HttpStatusCode.NotFound => (ProviderErrorKind.NotFound, $"the {resource[..^1]} does not exist"),
                (int)HttpStatusCode.Unauthorized => (ProviderErrorKind.Unauthenticated, "the Kubernetes API refused the provider's own credentials"),
                (int)HttpStatusCode.Forbidden => (ProviderErrorKind.PermissionDenied, $"grant the provider's service account get on {resource} (the Helm chart's ClusterRole does)"),
                _ => (ProviderErrorKind.Unavailable, "the Kubernetes API did not answer; the driver retries"),
            };
            var status = e.StatusCode == 0 ? e.Reason : $"HTTP {e.StatusCode} {e.Reason}";
            throw new ProviderException(code, "KubernetesLookupFailed", $"failed to get {what}: {status}; {fix}");
        }
    }

    public void Dispose()
    {
        if (_ownsClient && _client.IsValueCreated)
        {
            _client.Value.Dispose();
        }
    }
}
