using System.Net;
using Csi.Common.RateLimiting;
using Csi.ProviderHost;
using k8s;
using k8s.Autorest;

namespace Csi.Providers.Aws.Kubernetes;

/// <summary>
/// Reads service accounts, pods and nodes through KubernetesClient, each call paced by the --qps/--burst token
/// bucket. The client is made on first use: in-cluster, else the kubeconfig from --kubeconfig or KUBECONFIG.
/// </summary>
internal sealed class KubernetesLookup : IKubernetesLookup, IDisposable
{
    public const string RoleArnAnnotation = "eks.amazonaws.com/role-arn";
    public const string RegionLabel = "topology.kubernetes.io/region";

    private readonly Lazy<IKubernetes> _client;
    private readonly TokenBucket _limiter;
    private readonly bool _ownsClient;

    public KubernetesLookup(Func<IKubernetes> clientFactory, TokenBucket limiter, bool ownsClient = true)
    {
        _client = new Lazy<IKubernetes>(clientFactory, LazyThreadSafetyMode.ExecutionAndPublication);
        _limiter = limiter;
        _ownsClient = ownsClient;
    }

    /// <summary>In-cluster when running in a pod; else the kubeconfig file (--kubeconfig, then KUBECONFIG, then ~/.kube/config).</summary>
    public static IKubernetes CreateClient(string kubeconfig)
    {
        KubernetesClientConfiguration config;
        try
        {
            config = kubeconfig.Length == 0 && KubernetesClientConfiguration.IsInCluster()
                ? KubernetesClientConfiguration.InClusterConfig()
                : KubernetesClientConfiguration.BuildConfigFromConfigFile(kubeconfig.Length > 0 ? kubeconfig : Environment.GetEnvironmentVariable("KUBECONFIG") is { Length: > 0 } env ? env : null);
        }
        catch (Exception e) when (e is k8s.Exceptions.KubeConfigException or IOException or InvalidOperationException or ArgumentException)
        {
            throw new ProviderException(ProviderErrorKind.FailedPrecondition, "KubernetesUnavailable",
                $"cannot reach the Kubernetes API to look up the pod's region or role: {e.Message}; run the provider in the cluster, or set the region parameter and use Pod Identity");
        }
        return new k8s.Kubernetes(config);
    }

    public async Task<string?> GetRoleArnAsync(string @namespace, string serviceAccount, CancellationToken cancellationToken)
    {
        var account = await CallAsync($"service account {@namespace}/{serviceAccount}", "serviceaccounts",
            (client, ct) => client.CoreV1.ReadNamespacedServiceAccountAsync(serviceAccount, @namespace, cancellationToken: ct), cancellationToken).ConfigureAwait(false);
        return account.Metadata?.Annotations is { } annotations && annotations.TryGetValue(RoleArnAnnotation, out var arn) && arn.Length > 0 ? arn : null;
    }

    public async Task<string> GetPodNodeAsync(string @namespace, string pod, CancellationToken cancellationToken)
    {
        var found = await CallAsync($"pod {@namespace}/{pod}", "pods",
            (client, ct) => client.CoreV1.ReadNamespacedPodAsync(pod, @namespace, cancellationToken: ct), cancellationToken).ConfigureAwait(false);
        return found.Spec?.NodeName ?? string.Empty;
    }

    public async Task<string?> GetNodeRegionAsync(string node, CancellationToken cancellationToken)
    {
        var found = await CallAsync($"node {node}", "nodes",
            (client, ct) => client.CoreV1.ReadNodeAsync(node, cancellationToken: ct), cancellationToken).ConfigureAwait(false);
        return found.Metadata?.Labels is { } labels && labels.TryGetValue(RegionLabel, out var region) && region.Length > 0 ? region : null;
    }

    private async Task<T> CallAsync<T>(string what, string resource, Func<IKubernetes, CancellationToken, Task<T>> call, CancellationToken cancellationToken)
    {
        await _limiter.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return await call(_client.Value, cancellationToken).ConfigureAwait(false);
        }
        catch (HttpOperationException e)
        {
            var status = e.Response?.StatusCode ?? HttpStatusCode.InternalServerError;
            var (code, fix) = status switch
            {
                HttpStatusCode.NotFound => (ProviderErrorKind.NotFound, $"the {resource[..^1]} does not exist"),
                HttpStatusCode.Unauthorized => (ProviderErrorKind.Unauthenticated, "the Kubernetes API refused the provider's own credentials"),
                HttpStatusCode.Forbidden => (ProviderErrorKind.PermissionDenied, $"grant the provider's service account get on {resource} (the Helm chart's ClusterRole does)"),
                _ => (ProviderErrorKind.Unavailable, "the Kubernetes API did not answer; the driver retries"),
            };
            throw new ProviderException(code, "KubernetesLookupFailed", $"failed to get {what}: HTTP {(int)status} {e.Response?.ReasonPhrase}; {fix}");
        }
        catch (Exception e) when (e is HttpRequestException or IOException || (e is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            throw new ProviderException(ProviderErrorKind.Unavailable, "KubernetesLookupFailed", $"failed to get {what}: {e.Message}; the Kubernetes API did not answer, the driver retries");
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
