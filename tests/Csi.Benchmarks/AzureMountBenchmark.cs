using System.Globalization;
using System.Text;
using System.Text.Json;
using Csi.Sandboxes.Azure;
using Csi.Testing;
using SecretsStore.Provider.V1Alpha1;

namespace Csi.Benchmarks;

/// <summary>
/// The Azure provider's Mount as the driver calls it (gRPC on a unix socket), the provider as a process reaching the
/// Key Vault sandbox through an HTTPS proxy with Azure's real host names: secrets of 4 KiB, workload identity.
/// A first mount sends no object versions; a rotation mount sends the versions the first one returned.
/// </summary>
internal sealed class AzureMountBenchmark
{
    private const string ClientId = "2e2e2e2e-1111-2222-3333-444444444444";
    private static readonly int[] ObjectCounts = [10, 50];

    private readonly int _warmup;
    private readonly int _iterations;
    private readonly TextWriter _progress;

    public AzureMountBenchmark(int warmup, int iterations, TextWriter progress)
    {
        _warmup = warmup;
        _iterations = iterations;
        _progress = progress;
    }

    public async Task<IReadOnlyList<AzureMountFigures>> RunAsync(CancellationToken cancellationToken)
    {
        await using var sandbox = await KeyVaultSandbox.StartAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
        var vault = sandbox.CreateVault("kvbench" + Guid.NewGuid().ToString("N")[..12]);
        sandbox.AddFederatedCredential(ClientId, "default", "bench");
        var value = new string('v', 4096);
        for (var i = 0; i < ObjectCounts.Max(); i++)
        {
            vault.SetSecret(Name(i), value);
        }

        var jwt = sandbox.TokenIssuer.Mint("default", "bench", KeyVaultSandbox.TokenExchangeAudience, TimeSpan.FromHours(1));
        using var directory = new TempDirectory("azure-bench");
        var trust = System.IO.Path.Combine(directory.Path, "sandbox-ca.pem");
        sandbox.WriteTrustBundle(trust);
        var proxy = sandbox.ProxyAddress.ToString().TrimEnd('/');
        var socket = System.IO.Path.Combine(directory.Path, "azure.sock");
        var binary = System.IO.Path.Combine(AppContext.BaseDirectory, "secrets-store-csi-driver-provider-azure");
        var provider = await ProviderProcess.StartAsync(binary, ["--endpoint", socket, "--health-addr=", "--metrics-addr=", "-v=0"], socket, directory.Path, environment: new Dictionary<string, string>
        {
            ["HTTPS_PROXY"] = proxy,
            ["HTTP_PROXY"] = proxy,
            ["NO_PROXY"] = string.Empty,
            ["SSL_CERT_FILE"] = trust,
        }).ConfigureAwait(false);
        var figures = new List<AzureMountFigures>();
        await using (provider.ConfigureAwait(false))
        {
            foreach (var count in ObjectCounts)
            {
                var first = Request(vault.Name, sandbox.TenantId, count, jwt);
                var response = await provider.Client.MountAsync(first, cancellationToken: cancellationToken).ConfigureAwait(false);
                var rotation = first.Clone();
                rotation.CurrentObjectVersion.AddRange(response.ObjectVersion);
                foreach (var (request, isRotation) in new[] { (first, false), (rotation, true) })
                {
                    _progress.WriteLine($"azure provider Mount, {count} objects, {(isRotation ? "rotation" : "first mount")}");
                    await MountSeries.WarmUpAsync(provider, request, _warmup, cancellationToken).ConfigureAwait(false);

                    var vaultRequests = sandbox.CountRequests("vault");
                    var tokenRequests = sandbox.CountRequests("aad", "/" + sandbox.TenantId + "/oauth2/v2.0/token");
                    var latency = await MountSeries.TimeAsync(provider, request, _iterations, cancellationToken).ConfigureAwait(false);

                    figures.Add(new AzureMountFigures(
                        count,
                        isRotation,
                        latency,
                        (sandbox.CountRequests("vault") - vaultRequests) / (double)_iterations,
                        (sandbox.CountRequests("aad", "/" + sandbox.TenantId + "/oauth2/v2.0/token") - tokenRequests) / (double)_iterations));
                }
            }
        }

        return figures;
    }

    private static string Name(int index) => "obj-" + index.ToString("D3", CultureInfo.InvariantCulture);

    private static MountRequest Request(string vaultName, string tenantId, int count, string jwt)
    {
        var objects = new StringBuilder("array:\n");
        for (var i = 0; i < count; i++)
        {
            objects.Append(CultureInfo.InvariantCulture, $"  - |\n    objectName: {Name(i)}\n    objectType: secret\n");
        }

        var tokens = JsonSerializer.Serialize(new Dictionary<string, Dictionary<string, string>>
        {
            [KeyVaultSandbox.TokenExchangeAudience] = new() { ["token"] = jwt, ["expirationTimestamp"] = DateTime.UtcNow.AddHours(1).ToString("O", CultureInfo.InvariantCulture) },
        });
        var attributes = new Dictionary<string, string>
        {
            ["keyvaultName"] = vaultName,
            ["tenantID"] = tenantId,
            ["clientID"] = ClientId,
            ["objects"] = objects.ToString(),
            ["csi.storage.k8s.io/pod.name"] = "bench-0",
            ["csi.storage.k8s.io/pod.namespace"] = "default",
            ["csi.storage.k8s.io/pod.uid"] = "uid-bench-0",
            ["csi.storage.k8s.io/serviceAccount.name"] = "bench",
            ["csi.storage.k8s.io/serviceAccount.tokens"] = tokens,
        };
        return new MountRequest { Attributes = JsonSerializer.Serialize(attributes), Secrets = "{}", Permission = "420", TargetPath = "/nonexistent" };
    }
}
