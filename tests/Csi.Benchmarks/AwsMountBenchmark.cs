using System.Globalization;
using System.Text;
using System.Text.Json;
using Csi.Sandboxes.Aws;
using Csi.Sandboxes.Kubernetes;
using Csi.Testing;
using k8s.Models;
using SecretsStore.Provider.V1Alpha1;

namespace Csi.Benchmarks;

/// <summary>
/// The AWS provider's Mount as the driver calls it (gRPC on a unix socket), against the AWS sandbox on loopback:
/// one Secrets Manager secret of 4 KiB per object, IRSA with one pod token for every mount (the provider caches STS
/// credentials per token), the role read from the Kubernetes API sandbox. Two kinds of mount: a first mount (no
/// current object versions) and a rotation with every object unchanged (the versions and files of the first mount).
/// </summary>
internal sealed class AwsMountBenchmark
{
    private const string Region = "us-east-1";
    private const string Namespace = "default";
    private const string ServiceAccount = "bench";

    private static readonly int[] ObjectCounts = [10, 50];

    private readonly int _warmup;
    private readonly int _iterations;
    private readonly TextWriter _progress;

    public AwsMountBenchmark(int warmup, int iterations, TextWriter progress)
    {
        _warmup = warmup;
        _iterations = iterations;
        _progress = progress;
    }

    public async Task<IReadOnlyList<AwsMountFigures>> RunAsync(CancellationToken cancellationToken)
    {
        await using var aws = await AwsSandbox.StartAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
        await using var kubernetes = await KubernetesSandbox.StartAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
        var roleArn = $"arn:aws:iam::{aws.AccountId}:role/bench";
        aws.AddWebIdentityRole(roleArn, Namespace, ServiceAccount);
        aws.Allow(roleArn, "bench/");
        kubernetes.Seed(new V1ServiceAccount
        {
            Metadata = new V1ObjectMeta
            {
                Name = ServiceAccount,
                NamespaceProperty = Namespace,
                Annotations = new Dictionary<string, string> { ["eks.amazonaws.com/role-arn"] = roleArn },
            },
        });
        var value = new string('v', 4096);
        for (var i = 0; i < ObjectCounts.Max(); i++)
        {
            aws.Region(Region).PutSecretString(SecretName(i), value);
        }
        var jwt = aws.TokenIssuer.Mint(Namespace, ServiceAccount, AwsSandbox.StsAudience, TimeSpan.FromHours(1));

        using var directory = new TempDirectory("aws-bench");
        var kubeconfig = directory.Combine("kubeconfig");
        await System.IO.File.WriteAllTextAsync(kubeconfig, kubernetes.Kubeconfig(), cancellationToken).ConfigureAwait(false);
        var socket = directory.Combine("aws.sock");
        var endpoint = aws.Endpoint.ToString();
        var provider = await ProviderProcess.StartAsync(Path.Combine(AppContext.BaseDirectory, "secrets-store-csi-driver-provider-aws"), [
            "--endpoint", socket, "--health-addr=", "--metrics-addr=", "--kubeconfig", kubeconfig,
        ], socket, directory.Path, environment: new Dictionary<string, string>
        {
            ["AWS_ENDPOINT_URL_SECRETS_MANAGER"] = endpoint,
            ["AWS_ENDPOINT_URL_STS"] = endpoint,
            ["AWS_ENDPOINT_URL"] = string.Empty,
            ["AWS_REGION"] = string.Empty,
        }).ConfigureAwait(false);
        await using (provider.ConfigureAwait(false))
        {
            var figures = new List<AwsMountFigures>();
            foreach (var count in ObjectCounts)
            {
                var target = directory.CreateDirectory("target-" + count.ToString(CultureInfo.InvariantCulture));
                var first = Request(count, jwt, target);

                _progress.WriteLine($"aws provider Mount, {count} objects, first mount");
                var figure = await MeasureAsync(aws, kubernetes, provider, first, count, rotation: false, cancellationToken).ConfigureAwait(false);
                figures.Add(figure);

                // The driver sends the versions it mounted; the provider re-reads unchanged files from the target.
                var mounted = await provider.Client.MountAsync(first, cancellationToken: cancellationToken).ConfigureAwait(false);
                foreach (var file in mounted.Files)
                {
                    await System.IO.File.WriteAllBytesAsync(Path.Combine(target, file.Path), file.Contents.ToByteArray(), cancellationToken).ConfigureAwait(false);
                }
                var rotation = first.Clone();
                rotation.CurrentObjectVersion.AddRange(mounted.ObjectVersion);

                _progress.WriteLine($"aws provider Mount, {count} objects, rotation with nothing changed");
                figures.Add(await MeasureAsync(aws, kubernetes, provider, rotation, count, rotation: true, cancellationToken).ConfigureAwait(false));
            }
            return figures;
        }
    }

    private async Task<AwsMountFigures> MeasureAsync(AwsSandbox aws, KubernetesSandbox kubernetes, ProviderProcess provider, MountRequest request, int count, bool rotation, CancellationToken cancellationToken)
    {
        await MountSeries.WarmUpAsync(provider, request, _warmup, cancellationToken).ConfigureAwait(false);
        var assumeRole = aws.CountRequests("AssumeRoleWithWebIdentity");
        var getSecretValue = aws.CountRequests("GetSecretValue");
        var describeSecret = aws.CountRequests("DescribeSecret");
        var kubernetesReads = kubernetes.CountRequests(verb: "get");
        var latency = await MountSeries.TimeAsync(provider, request, _iterations, cancellationToken).ConfigureAwait(false);
        double PerMount(int before, int after) => (after - before) / (double)_iterations;
        return new AwsMountFigures(
            count,
            rotation,
            latency,
            PerMount(assumeRole, aws.CountRequests("AssumeRoleWithWebIdentity")),
            PerMount(getSecretValue, aws.CountRequests("GetSecretValue")),
            PerMount(describeSecret, aws.CountRequests("DescribeSecret")),
            PerMount(kubernetesReads, kubernetes.CountRequests(verb: "get")));
    }

    private static string SecretName(int index) => "bench/obj-" + index.ToString("D3", CultureInfo.InvariantCulture);

    private static MountRequest Request(int count, string jwt, string target)
    {
        var objects = new StringBuilder();
        for (var i = 0; i < count; i++)
        {
            objects.Append(CultureInfo.InvariantCulture, $"- objectName: {SecretName(i)}\n  objectType: secretsmanager\n");
        }
        var tokens = JsonSerializer.Serialize(new Dictionary<string, Dictionary<string, string>>
        {
            [AwsSandbox.StsAudience] = new() { ["token"] = jwt, ["expirationTimestamp"] = DateTime.UtcNow.AddHours(1).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture) },
        });
        var attributes = new Dictionary<string, string>
        {
            ["region"] = Region,
            ["objects"] = objects.ToString(),
            ["csi.storage.k8s.io/pod.name"] = "bench-0",
            ["csi.storage.k8s.io/pod.namespace"] = Namespace,
            ["csi.storage.k8s.io/pod.uid"] = "uid-bench-0",
            ["csi.storage.k8s.io/serviceAccount.name"] = ServiceAccount,
            ["csi.storage.k8s.io/serviceAccount.tokens"] = tokens,
        };
        return new MountRequest { Attributes = JsonSerializer.Serialize(attributes), Secrets = "{}", Permission = "420", TargetPath = target };
    }
}
