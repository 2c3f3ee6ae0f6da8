using System.Globalization;
using System.Text.Json.Nodes;
using Csi.ProviderHost;
using Csi.Sandboxes.Aws;
using Csi.Sandboxes.Kubernetes;
using Csi.Testing;
using Grpc.Core;
using k8s.Models;
using SecretsStore.Provider.V1Alpha1;

namespace Csi.Providers.Aws.Tests.Functional;

/// <summary>
/// The AWS sandbox, the Kubernetes API sandbox and the AWS provider on a real unix socket behind the real host,
/// called over gRPC as the driver calls it. The provider reaches AWS through AWS_ENDPOINT_URL and the Pod Identity
/// agent through AWS_CONTAINER_CREDENTIALS_FULL_URI, and Kubernetes through --kubeconfig.
/// </summary>
internal sealed class AwsProviderHarness : IAsyncDisposable
{
    public const string Namespace = "apps";
    public const string ServiceAccount = "web";
    public const string PodName = "web-0";
    public const string NodeName = "node-a";
    public const string Primary = "us-east-1";
    public const string Secondary = "us-west-2";

    private readonly string _dir;
    private readonly HostedProvider _hosted;

    private AwsProviderHarness(string dir, AwsSandbox aws, KubernetesSandbox kubernetes, AwsProvider provider, HostedProvider hosted, CapturedLogs logs)
    {
        _dir = dir;
        Aws = aws;
        Kubernetes = kubernetes;
        Provider = provider;
        _hosted = hosted;
        Logs = logs;
        RoleArn = $"arn:aws:iam::{aws.AccountId}:role/web-reader";
    }

    public AwsSandbox Aws { get; }

    public KubernetesSandbox Kubernetes { get; }

    public AwsProvider Provider { get; }

    public CapturedLogs Logs { get; }

    public string RoleArn { get; }

    public string TargetPath => Path.Combine(_dir, "target");

    public static async Task<AwsProviderHarness> StartAsync(IReadOnlyDictionary<string, string>? environment = null, params string[] flags)
    {
        var dir = Directory.CreateTempSubdirectory("aws-provider-").FullName;
        var aws = await AwsSandbox.StartAsync();
        var kubernetes = await KubernetesSandbox.StartAsync();
        var kubeconfig = Path.Combine(dir, "kubeconfig");
        await System.IO.File.WriteAllTextAsync(kubeconfig, kubernetes.Kubeconfig());

        var env = new Dictionary<string, string>
        {
            ["AWS_ENDPOINT_URL"] = aws.Endpoint.ToString(),
            ["AWS_CONTAINER_CREDENTIALS_FULL_URI"] = aws.PodIdentityAgentEndpoint.ToString(),
        };
        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            env[key] = value;
        }
        var provider = new AwsProvider(AwsEnvironment.From(env), kubernetes: null, retryBaseDelay: TimeSpan.FromMilliseconds(1));
        var options = ProviderHostOptions.Parse(provider, [$"--endpoint={Path.Combine(dir, "aws.sock")}", $"--kubeconfig={kubeconfig}", .. flags]);
        options.HealthAddr = string.Empty;
        options.MetricsAddr = string.Empty;
        var logs = new CapturedLogs();
        var hosted = await HostedProvider.StartAsync(provider, options, logs);
        var harness = new AwsProviderHarness(dir, aws, kubernetes, provider, hosted, logs);
        Directory.CreateDirectory(harness.TargetPath);
        return harness;
    }

    /// <summary>An IRSA service account annotated with the role, a role STS trusts for it, and read access to everything.</summary>
    public void UseIrsa(string serviceAccount = ServiceAccount)
    {
        Kubernetes.Seed(new V1ServiceAccount
        {
            Metadata = new V1ObjectMeta
            {
                Name = serviceAccount,
                NamespaceProperty = Namespace,
                Annotations = new Dictionary<string, string> { ["eks.amazonaws.com/role-arn"] = RoleArn },
            },
        });
        Aws.AddWebIdentityRole(RoleArn, Namespace, serviceAccount);
        Aws.Allow(RoleArn, string.Empty);
    }

    public void UsePodIdentity(string serviceAccount = ServiceAccount)
    {
        Aws.AddPodIdentityAssociation(Namespace, serviceAccount, RoleArn);
        Aws.Allow(RoleArn, string.Empty);
    }

    /// <summary>The pod on a node labelled with a region, for the region lookup.</summary>
    public void SeedPodOnNode(string? region)
    {
        var labels = region is null ? new Dictionary<string, string>() : new Dictionary<string, string> { ["topology.kubernetes.io/region"] = region };
        Kubernetes.Seed(new V1Node { Metadata = new V1ObjectMeta { Name = NodeName, Labels = labels } });
        Kubernetes.Seed(new V1Pod
        {
            Metadata = new V1ObjectMeta { Name = PodName, NamespaceProperty = Namespace },
            Spec = new V1PodSpec { NodeName = NodeName, ServiceAccountName = ServiceAccount, Containers = [new V1Container { Name = "app", Image = "app" }] },
        });
    }

    public string Token(string audience, string serviceAccount = ServiceAccount, TimeSpan? lifetime = null) =>
        Aws.TokenIssuer.Mint(Namespace, serviceAccount, audience, lifetime);

    /// <summary>A MountRequest as the driver sends it; <paramref name="tokens"/> null sends the IRSA and Pod Identity tokens.</summary>
    public MountRequest Request(
        string objects,
        IReadOnlyDictionary<string, string>? parameters = null,
        IReadOnlyDictionary<string, string>? tokens = null,
        IEnumerable<ObjectVersion>? current = null,
        string serviceAccount = ServiceAccount)
    {
        var attributes = new JsonObject
        {
            ["region"] = Primary,
            ["objects"] = objects,
            ["secretProviderClass"] = "aws-app",
            ["csi.storage.k8s.io/pod.name"] = PodName,
            ["csi.storage.k8s.io/pod.namespace"] = Namespace,
            ["csi.storage.k8s.io/pod.uid"] = "0b7c4ac3-3d1e-4c7f-9d55-0f3c1d7e2a10",
            ["csi.storage.k8s.io/serviceAccount.name"] = serviceAccount,
        };
        foreach (var (key, value) in parameters ?? new Dictionary<string, string>())
        {
            if (value.Length == 0)
            {
                attributes.Remove(key);
            }
            else
            {
                attributes[key] = value;
            }
        }
        tokens ??= new Dictionary<string, string>
        {
            [AwsSandbox.StsAudience] = Token(AwsSandbox.StsAudience, serviceAccount),
            [AwsSandbox.PodIdentityAudience] = Token(AwsSandbox.PodIdentityAudience, serviceAccount),
        };
        if (tokens.Count > 0)
        {
            var map = new JsonObject();
            foreach (var (audience, token) in tokens)
            {
                map[audience] = new JsonObject
                {
                    ["token"] = token,
                    ["expirationTimestamp"] = DateTimeOffset.UtcNow.AddHours(1).ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture),
                };
            }
            attributes["csi.storage.k8s.io/serviceAccount.tokens"] = map.ToJsonString();
        }
        var request = new MountRequest { Attributes = attributes.ToJsonString(), Secrets = "{}", Permission = "420", TargetPath = TargetPath };
        request.CurrentObjectVersion.AddRange(current ?? []);
        return request;
    }

    public Task<MountResponse> MountAsync(MountRequest request) =>
        _hosted.Client.MountAsync(request, deadline: DateTime.UtcNow.AddSeconds(60)).ResponseAsync;

    public async Task<RpcException> MountFailsAsync(MountRequest request) =>
        await Assert.ThrowsAsync<RpcException>(() => MountAsync(request));

    /// <summary>Writes the response's files into the target as the driver would, for a later rotation.</summary>
    public void WriteFiles(MountResponse response)
    {
        foreach (var file in response.Files)
        {
            var path = Path.Combine(TargetPath, file.Path);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            System.IO.File.WriteAllBytes(path, file.Contents.ToByteArray());
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _hosted.DisposeAsync();
        Provider.Dispose();
        await Aws.DisposeAsync();
        await Kubernetes.DisposeAsync();
        Directory.Delete(_dir, recursive: true);
    }
}
