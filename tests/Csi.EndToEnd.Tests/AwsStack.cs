using Csi.Client;
using Csi.Sandboxes.Aws;
using Csi.Sandboxes.Kubernetes;
using Csi.Testing;
using Csi.V1;
using k8s.Models;

namespace Csi.EndToEnd.Tests;

/// <summary>
/// The driver binary and the AWS provider binary as processes on unix sockets, the AWS sandbox (Secrets Manager, SSM,
/// STS and the Pod Identity agent) and the Kubernetes API sandbox on loopback. The provider finds AWS through the
/// standard <c>AWS_ENDPOINT_URL_*</c> and <c>AWS_CONTAINER_CREDENTIALS_FULL_URI</c> variables, and reads the service
/// account's role annotation and the node's region label through <c>--kubeconfig</c>.
/// </summary>
internal sealed class AwsStack : IAsyncDisposable
{
    public const string PodNamespace = "default";
    public const string ServiceAccount = "web";
    public const string PodName = "web-0";
    public const string NodeName = "node-1";
    public const string Primary = "us-east-1";
    public const string Failover = "us-west-2";

    /// <summary>The name prefixes the role may read; anything else is AccessDenied.</summary>
    public static readonly string[] ReadablePrefixes = ["app/", "/app/"];

    private readonly EndToEndNode _node;

    private AwsStack(EndToEndNode node, AwsSandbox aws, KubernetesSandbox kubernetes, string roleArn, ProviderProcess provider)
    {
        _node = node;
        Aws = aws;
        Kubernetes = kubernetes;
        RoleArn = roleArn;
        Provider = provider;
    }

    public AwsSandbox Aws { get; }

    public KubernetesSandbox Kubernetes { get; }

    public ProviderProcess Provider { get; }

    public DriverProcess Driver => _node.Driver;

    public string RoleArn { get; }

    public string Root => _node.Root;

    public string Output => Provider.Output + Driver.Output;

    /// <summary>
    /// Starts everything with one role that both IRSA (the service account's annotation) and Pod Identity (an
    /// association) lead to, allowed to read <see cref="ReadablePrefixes"/>, and the pod on a node in <see cref="Primary"/>.
    /// </summary>
    public static async Task<AwsStack> StartAsync(string rotationInterval = "1h")
    {
        var node = new EndToEndNode("aws-e2e");
        AwsSandbox? aws = null;
        KubernetesSandbox? kubernetes = null;
        ProviderProcess? provider = null;
        try
        {
            aws = await AwsSandbox.StartAsync();
            kubernetes = await KubernetesSandbox.StartAsync();
            var roleArn = $"arn:aws:iam::{aws.AccountId}:role/web-reader";
            aws.AddWebIdentityRole(roleArn, PodNamespace, ServiceAccount);
            aws.AddPodIdentityAssociation(PodNamespace, ServiceAccount, roleArn);
            foreach (var prefix in ReadablePrefixes)
            {
                aws.Allow(roleArn, prefix);
            }

            SeedPodOnNode(kubernetes, roleArn);

            var kubeconfig = Path.Combine(node.Root, "kubeconfig");
            await File.WriteAllTextAsync(kubeconfig, kubernetes.Kubeconfig());
            var providerSocket = node.ProviderSocket("aws");
            var endpoint = aws.Endpoint.ToString();
            provider = await ProviderProcess.StartAsync(EndToEndNode.Binary("secrets-store-csi-driver-provider-aws"), [
                "--endpoint", providerSocket, "--health-addr=", "--metrics-addr=", "--kubeconfig", kubeconfig,
            ], providerSocket, node.WorkDirectory, environment: new Dictionary<string, string>
            {
                ["AWS_ENDPOINT_URL_SECRETS_MANAGER"] = endpoint,
                ["AWS_ENDPOINT_URL_SSM"] = endpoint,
                ["AWS_ENDPOINT_URL_STS"] = endpoint,
                ["AWS_CONTAINER_CREDENTIALS_FULL_URI"] = aws.PodIdentityAgentEndpoint.ToString(),
                // Whatever the machine running the tests has set must not pick the region or the endpoint.
                ["AWS_REGION"] = string.Empty,
                ["AWS_ENDPOINT_URL"] = string.Empty,
                ["AWS_USE_FIPS_ENDPOINT"] = string.Empty,
            });

            await node.StartDriverAsync(NodeName, rotationInterval);
            return new AwsStack(node, aws, kubernetes, roleArn, provider);
        }
        catch
        {
            if (provider is not null)
            {
                await provider.DisposeAsync();
            }

            if (kubernetes is not null)
            {
                await kubernetes.DisposeAsync();
            }

            if (aws is not null)
            {
                await aws.DisposeAsync();
            }

            await node.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// Writes a SecretProviderClass for provider aws: <paramref name="parameters"/> (no <c>region</c> means the
    /// provider asks the node) plus <paramref name="objectsYaml"/> as the <c>objects</c> block.
    /// </summary>
    public void WriteClass(string name, IReadOnlyDictionary<string, string> parameters, string objectsYaml)
    {
        var lines = new List<string>
        {
            "apiVersion: secrets-store.csi.x-k8s.io/v1",
            "kind: SecretProviderClass",
            "metadata:",
            $"  name: {name}",
            $"  namespace: {PodNamespace}",
            "spec:",
            "  provider: aws",
            "  parameters:",
        };
        lines.AddRange(parameters.Select(p => $"    {p.Key}: \"{p.Value}\""));
        lines.Add("    objects: |");
        lines.AddRange(objectsYaml.Split('\n').Select(l => "      " + l));
        _node.WriteClass(name, string.Join('\n', lines) + "\n");
    }

    public string NewTarget() => _node.NewTarget();

    /// <summary>A pod service-account token for <paramref name="audience"/>, signed by the issuer STS and the agent trust.</summary>
    public string Token(string audience) => Aws.TokenIssuer.Mint(PodNamespace, ServiceAccount, audience);

    /// <summary>
    /// What kubelet sends for pod web-0 of service account web when the CSIDriver requests tokens for both AWS
    /// audiences; <paramref name="tokens"/> replaces them.
    /// </summary>
    public NodePublishVolumeRequest PublishRequest(string target, string className, IReadOnlyDictionary<string, string>? tokens = null)
        => CsiClient.BuildPublishRequest(new PublishOptions
        {
            VolumeId = "csi-" + Guid.NewGuid().ToString("N"),
            TargetPath = target,
            Readonly = true,
            Attributes = new Dictionary<string, string> { ["secretProviderClass"] = className },
            PodName = PodName,
            PodNamespace = PodNamespace,
            PodUid = "uid-web-0",
            ServiceAccountName = ServiceAccount,
            Tokens = tokens ?? new Dictionary<string, string>
            {
                [AwsSandbox.StsAudience] = Token(AwsSandbox.StsAudience),
                [AwsSandbox.PodIdentityAudience] = Token(AwsSandbox.PodIdentityAudience),
            },
        });

    public Task<NodePublishVolumeResponse> PublishAsync(NodePublishVolumeRequest request) => _node.PublishAsync(request);

    public Task UnpublishAsync(string target) => _node.UnpublishAsync(target);

    public async ValueTask DisposeAsync()
    {
        await _node.StopDriverAsync();
        await Provider.DisposeAsync();
        await Kubernetes.DisposeAsync();
        await Aws.DisposeAsync();
        await _node.DisposeAsync();
    }

    /// <summary>The service account annotated with the IRSA role, the pod on its node, the node labelled with its region.</summary>
    private static void SeedPodOnNode(KubernetesSandbox kubernetes, string roleArn)
    {
        kubernetes.Seed(new V1ServiceAccount
        {
            Metadata = new V1ObjectMeta
            {
                Name = ServiceAccount,
                NamespaceProperty = PodNamespace,
                Annotations = new Dictionary<string, string> { ["eks.amazonaws.com/role-arn"] = roleArn },
            },
        });
        kubernetes.Seed(new V1Node
        {
            Metadata = new V1ObjectMeta { Name = NodeName, Labels = new Dictionary<string, string> { ["topology.kubernetes.io/region"] = Primary } },
        });
        kubernetes.Seed(new V1Pod
        {
            Metadata = new V1ObjectMeta { Name = PodName, NamespaceProperty = PodNamespace },
            Spec = new V1PodSpec { NodeName = NodeName, ServiceAccountName = ServiceAccount, Containers = [new V1Container { Name = "app", Image = "app" }] },
        });
    }
}
