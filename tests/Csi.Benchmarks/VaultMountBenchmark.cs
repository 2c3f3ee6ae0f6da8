using System.Globalization;
using System.Text;
using System.Text.Json;
using Csi.Sandboxes.Vault;
using Csi.Testing;
using SecretsStore.Provider.V1Alpha1;

namespace Csi.Benchmarks;

/// <summary>
/// The Vault provider's Mount as the driver calls it (gRPC on a unix socket), against the Vault sandbox on
/// loopback: one KV v2 secret of 4 KiB per object, the pod's token for audience vault, with the per-pod token
/// cache and with it turned off (-cache-size=0, a login per mount).
/// </summary>
internal sealed class VaultMountBenchmark
{
    private static readonly int[] ObjectCounts = [10, 50];

    private readonly int _warmup;
    private readonly int _iterations;
    private readonly TextWriter _progress;

    public VaultMountBenchmark(int warmup, int iterations, TextWriter progress)
    {
        _warmup = warmup;
        _iterations = iterations;
        _progress = progress;
    }

    public async Task<IReadOnlyList<VaultMountFigures>> RunAsync(CancellationToken cancellationToken)
    {
        await using var vault = await VaultSandbox.StartAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
        vault.EnableKubernetesAuth();
        vault.WritePolicy("bench", [new VaultPolicyRule("secret/data/bench/*", "read")]);
        vault.WriteAuthRole("kubernetes", new VaultAuthRole
        {
            Name = "bench",
            BoundServiceAccountNames = ["bench"],
            BoundServiceAccountNamespaces = ["default"],
            Audience = "vault",
            TokenTtl = TimeSpan.FromHours(1),
            TokenPolicies = ["bench"],
        });
        var value = new string('v', 4096);
        for (var i = 0; i < ObjectCounts.Max(); i++)
        {
            vault.WriteSecret("secret", Path(i), new Dictionary<string, string> { ["value"] = value });
        }
        var jwt = vault.MintServiceAccountToken("default", "bench", "vault", TimeSpan.FromHours(1));

        using var directory = new TempDirectory("vault-bench");
        var binary = System.IO.Path.Combine(AppContext.BaseDirectory, "vault-csi-provider");
        var figures = new List<VaultMountFigures>();
        foreach (var cache in new[] { true, false })
        {
            var socket = System.IO.Path.Combine(directory.Path, cache ? "cached.sock" : "uncached.sock");
            var provider = await ProviderProcess.StartAsync(binary, ["--endpoint", socket, "--health-addr=", "--log-level=warn", cache ? "--cache-size=1000" : "--cache-size=0"], socket, directory.Path).ConfigureAwait(false);
            await using (provider.ConfigureAwait(false))
            {
                foreach (var count in ObjectCounts)
                {
                    _progress.WriteLine($"vault provider Mount, {count} objects, token cache {(cache ? "on" : "off")}");
                    var request = Request(vault.Address, count, jwt);
                    await MountSeries.WarmUpAsync(provider, request, _warmup, cancellationToken).ConfigureAwait(false);
                    var logins = vault.CountRequests(pathPrefix: "auth/kubernetes/login");
                    var all = vault.CountRequests();
                    var latency = await MountSeries.TimeAsync(provider, request, _iterations, cancellationToken).ConfigureAwait(false);
                    figures.Add(new VaultMountFigures(
                        count,
                        cache,
                        latency,
                        (vault.CountRequests(pathPrefix: "auth/kubernetes/login") - logins) / (double)_iterations,
                        (vault.CountRequests() - all) / (double)_iterations));
                }
            }
        }
        return figures;
    }

    private static string Path(int index) => "bench/obj-" + index.ToString("D3", CultureInfo.InvariantCulture);

    private static MountRequest Request(Uri vaultAddress, int count, string jwt)
    {
        var objects = new StringBuilder();
        for (var i = 0; i < count; i++)
        {
            objects.Append(CultureInfo.InvariantCulture, $"- objectName: obj-{i:D3}\n  secretPath: secret/data/{Path(i)}\n  secretKey: value\n");
        }
        var tokens = JsonSerializer.Serialize(new Dictionary<string, Dictionary<string, string>>
        {
            ["vault"] = new() { ["token"] = jwt, ["expirationTimestamp"] = DateTime.UtcNow.AddHours(1).ToString("O", CultureInfo.InvariantCulture) },
        });
        var attributes = new Dictionary<string, string>
        {
            ["roleName"] = "bench",
            ["vaultAddress"] = vaultAddress.ToString().TrimEnd('/'),
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
