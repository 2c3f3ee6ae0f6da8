using Csi.Client;
using Csi.Sandboxes.Vault;
using Csi.Testing;
using Csi.V1;

namespace Csi.EndToEnd.Tests;

/// <summary>
/// The whole chain as a node runs it: the driver binary and the Vault provider binary as processes on unix
/// sockets, the Vault sandbox on loopback, and a CSI client sending what kubelet sends.
/// </summary>
internal sealed class VaultStack : IAsyncDisposable
{
    public const string Role = "web";
    public const string ServiceAccount = "web";
    public const string PodNamespace = "default";

    private readonly EndToEndNode _node;

    private VaultStack(EndToEndNode node, VaultSandbox vault, ProviderProcess provider)
    {
        _node = node;
        Vault = vault;
        Provider = provider;
    }

    public VaultSandbox Vault { get; }

    public ProviderProcess Provider { get; }

    public DriverProcess Driver => _node.Driver;

    public string Root => _node.Root;

    public string Output => Provider.Output + Driver.Output;

    public static async Task<VaultStack> StartAsync(string rotationInterval = "1h")
    {
        var node = new EndToEndNode("vault-e2e");
        VaultSandbox? vault = null;
        ProviderProcess? provider = null;
        try
        {
            vault = await VaultSandbox.StartAsync();
            vault.EnableKubernetesAuth();
            vault.WritePolicy("web", [new VaultPolicyRule("secret/data/app/*", "read"), new VaultPolicyRule("kv/app/*", "read"), new VaultPolicyRule("database/creds/readonly", "read")]);
            vault.WriteAuthRole("kubernetes", new VaultAuthRole
            {
                Name = Role,
                BoundServiceAccountNames = [ServiceAccount],
                BoundServiceAccountNamespaces = [PodNamespace],
                Audience = "vault",
                TokenTtl = TimeSpan.FromMinutes(20),
                TokenPolicies = ["web"],
            });
            vault.WriteSecret("secret", "app/db", new Dictionary<string, string> { ["username"] = "app", ["password"] = "pw-1" });
            vault.WriteSecret("secret", "app/api", new Dictionary<string, string> { ["key"] = "api-1" });
            vault.EnableKvV1("kv");
            vault.WriteSecret("kv", "app/config", new Dictionary<string, string> { ["level"] = "debug" });
            vault.EnableDatabase();
            vault.WriteDatabaseRole("database", new VaultDatabaseRole { Name = "readonly" });

            var providerSocket = node.ProviderSocket("vault");
            provider = await ProviderProcess.StartAsync(EndToEndNode.Binary("vault-csi-provider"), ["--endpoint", providerSocket, "--health-addr="], providerSocket, node.WorkDirectory);

            await node.StartDriverAsync("node-1", rotationInterval);
            return new VaultStack(node, vault, provider);
        }
        catch
        {
            if (provider is not null)
            {
                await provider.DisposeAsync();
            }
            if (vault is not null)
            {
                await vault.DisposeAsync();
            }
            await node.DisposeAsync();
            throw;
        }
    }

    public void WriteClass(string name, string objectsYaml, string role = Role, string? vaultAddress = null)
    {
        var objects = string.Join("\n", objectsYaml.Split('\n').Select(l => "      " + l));
        _node.WriteClass(name, $"""
            apiVersion: secrets-store.csi.x-k8s.io/v1
            kind: SecretProviderClass
            metadata:
              name: {name}
              namespace: {PodNamespace}
            spec:
              provider: vault
              parameters:
                roleName: "{role}"
                vaultAddress: "{vaultAddress ?? Vault.Address.ToString().TrimEnd('/')}"
                objects: |
            {objects}

            """);
    }

    public string NewTarget() => _node.NewTarget();

    /// <summary>What kubelet sends for a pod of service account web with a projected token for audience vault.</summary>
    public NodePublishVolumeRequest PublishRequest(string target, string className, string? token = null)
        => CsiClient.BuildPublishRequest(new PublishOptions
        {
            VolumeId = "csi-" + Guid.NewGuid().ToString("N"),
            TargetPath = target,
            Readonly = true,
            Attributes = new Dictionary<string, string> { ["secretProviderClass"] = className },
            PodName = "web-0",
            PodNamespace = PodNamespace,
            PodUid = "uid-web-0",
            ServiceAccountName = ServiceAccount,
            Tokens = new Dictionary<string, string> { ["vault"] = token ?? Vault.MintServiceAccountToken(PodNamespace, ServiceAccount, "vault") },
        });

    public Task<NodePublishVolumeResponse> PublishAsync(NodePublishVolumeRequest request) => _node.PublishAsync(request);

    public Task UnpublishAsync(string target) => _node.UnpublishAsync(target);

    public async ValueTask DisposeAsync()
    {
        await _node.StopDriverAsync();
        await Provider.DisposeAsync();
        await Vault.DisposeAsync();
        await _node.DisposeAsync();
    }
}
