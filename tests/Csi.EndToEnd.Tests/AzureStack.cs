using Csi.Client;
using Csi.Sandboxes.Azure;
using Csi.Testing;
using Csi.V1;

namespace Csi.EndToEnd.Tests;

/// <summary>
/// The driver binary and the Azure provider binary as processes on unix sockets, the Key Vault sandbox on loopback.
/// The provider keeps Azure's real host names and reaches the sandbox the way a node behind a corporate proxy
/// would: <c>HTTPS_PROXY</c>/<c>HTTP_PROXY</c> and a CA bundle in <c>SSL_CERT_FILE</c>.
/// </summary>
internal sealed class AzureStack : IAsyncDisposable
{
    public const string PodNamespace = "default";
    public const string ServiceAccount = "web";
    public const string WorkloadClientId = "1e1e1e1e-1111-2222-3333-444444444444";
    public const string BindingClientId = "1b1b1b1b-1111-2222-3333-444444444444";
    public const string SpClientId = "1d1d1d1d-1111-2222-3333-444444444444";
    public const string SpClientSecret = "sp-secret-e2e";
    public const string ManagedIdentityClientId = "1f1f1f1f-1111-2222-3333-444444444444";

    private readonly EndToEndNode _node;

    private AzureStack(EndToEndNode node, KeyVaultSandbox sandbox, SandboxVault vault, ProviderProcess provider)
    {
        _node = node;
        Sandbox = sandbox;
        Vault = vault;
        Provider = provider;
    }

    public KeyVaultSandbox Sandbox { get; }

    public SandboxVault Vault { get; }

    public ProviderProcess Provider { get; }

    public DriverProcess Driver => _node.Driver;

    public string Root => _node.Root;

    public string Output => Provider.Output + Driver.Output;

    public static async Task<AzureStack> StartAsync(string rotationInterval = "1h")
    {
        var node = new EndToEndNode("azure-e2e");
        KeyVaultSandbox? sandbox = null;
        ProviderProcess? provider = null;
        try
        {
            sandbox = await KeyVaultSandbox.StartAsync();
            var vault = sandbox.CreateVault("kv" + Guid.NewGuid().ToString("N")[..16]);
            sandbox.AddFederatedCredential(WorkloadClientId, PodNamespace, ServiceAccount);
            sandbox.AddFederatedCredential(BindingClientId, PodNamespace, ServiceAccount, audience: KeyVaultSandbox.IdentityBindingAudience);
            sandbox.AddClientSecret(SpClientId, SpClientSecret);
            sandbox.AddUserAssignedIdentity(ManagedIdentityClientId);

            var trust = Path.Combine(node.Root, "sandbox-ca.pem");
            sandbox.WriteTrustBundle(trust);
            var clusterCa = Path.Combine(node.Root, "cluster-ca.pem");
            sandbox.WriteTokenProxyCertificateAuthority(clusterCa);

            var providerSocket = node.ProviderSocket("azure");
            var proxy = sandbox.ProxyAddress.ToString().TrimEnd('/');
            provider = await ProviderProcess.StartAsync(EndToEndNode.Binary("secrets-store-csi-driver-provider-azure"), [
                "--endpoint", providerSocket, "--health-addr=", "--metrics-addr=",
                "--token-proxy-url", sandbox.TokenProxyAddress.ToString(), "--sni-name", sandbox.TokenProxySniName, "--token-proxy-ca-file", clusterCa,
            ], providerSocket, node.WorkDirectory, environment: new Dictionary<string, string>
            {
                ["HTTPS_PROXY"] = proxy,
                ["HTTP_PROXY"] = proxy,
                ["NO_PROXY"] = string.Empty,
                ["SSL_CERT_FILE"] = trust,
            });

            await node.StartDriverAsync("node-1", rotationInterval);
            return new AzureStack(node, sandbox, vault, provider);
        }
        catch
        {
            if (provider is not null)
            {
                await provider.DisposeAsync();
            }

            if (sandbox is not null)
            {
                await sandbox.DisposeAsync();
            }

            await node.DisposeAsync();
            throw;
        }
    }

    /// <summary>Writes a SecretProviderClass for the stack's vault: <paramref name="parameters"/> plus the objects, one YAML block per object.</summary>
    public void WriteClass(string name, IReadOnlyDictionary<string, string> parameters, params string[][] objects)
    {
        var lines = new List<string>
        {
            "apiVersion: secrets-store.csi.x-k8s.io/v1",
            "kind: SecretProviderClass",
            "metadata:",
            $"  name: {name}",
            $"  namespace: {PodNamespace}",
            "spec:",
            "  provider: azure",
            "  parameters:",
            $"    keyvaultName: \"{Vault.Name}\"",
        };
        if (!parameters.ContainsKey("tenantID"))
        {
            lines.Add($"    tenantID: \"{Sandbox.TenantId}\"");
        }

        lines.AddRange(parameters.Select(p => $"    {p.Key}: \"{p.Value}\""));
        lines.Add("    objects: |");
        lines.Add("      array:");
        foreach (var obj in objects)
        {
            lines.Add("        - |");
            lines.AddRange(obj.Select(l => "          " + l));
        }

        _node.WriteClass(name, string.Join('\n', lines) + "\n");
    }

    public string NewTarget() => _node.NewTarget();

    /// <summary>What kubelet sends for a pod of service account web with projected tokens for both Azure audiences.</summary>
    public NodePublishVolumeRequest PublishRequest(string target, string className, IReadOnlyDictionary<string, string>? nodePublishSecret = null)
        => CsiClient.BuildPublishRequest(new PublishOptions
        {
            VolumeId = "csi-" + Guid.NewGuid().ToString("N"),
            TargetPath = target,
            Readonly = true,
            Attributes = new Dictionary<string, string> { ["secretProviderClass"] = className },
            Secrets = nodePublishSecret ?? new Dictionary<string, string>(),
            PodName = "web-0",
            PodNamespace = PodNamespace,
            PodUid = "uid-web-0",
            ServiceAccountName = ServiceAccount,
            Tokens = new Dictionary<string, string>
            {
                [KeyVaultSandbox.TokenExchangeAudience] = Sandbox.TokenIssuer.Mint(PodNamespace, ServiceAccount, KeyVaultSandbox.TokenExchangeAudience),
                [KeyVaultSandbox.IdentityBindingAudience] = Sandbox.TokenIssuer.Mint(PodNamespace, ServiceAccount, KeyVaultSandbox.IdentityBindingAudience),
            },
        });

    public Task<NodePublishVolumeResponse> PublishAsync(NodePublishVolumeRequest request) => _node.PublishAsync(request);

    public Task UnpublishAsync(string target) => _node.UnpublishAsync(target);

    public async ValueTask DisposeAsync()
    {
        await _node.StopDriverAsync();
        await Provider.DisposeAsync();
        await Sandbox.DisposeAsync();
        await _node.DisposeAsync();
    }
}
