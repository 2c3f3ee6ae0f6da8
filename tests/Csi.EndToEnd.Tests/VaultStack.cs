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

    private readonly TempDirectory _root;

    private VaultStack(TempDirectory root, VaultSandbox vault, ProviderProcess provider, DriverProcess driver)
    {
        _root = root;
        Vault = vault;
        Provider = provider;
        Driver = driver;
    }

    public VaultSandbox Vault { get; }

    public ProviderProcess Provider { get; }

    public DriverProcess Driver { get; }

    public string Root => _root.Path;

    public string Output => Provider.Output + Driver.Output;

    public static async Task<VaultStack> StartAsync(string rotationInterval = "1h")
    {
        var root = new TempDirectory("vault-e2e");
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

            var providers = Directory.CreateDirectory(Path.Combine(root.Path, "providers")).FullName;
            Directory.CreateDirectory(Path.Combine(root.Path, "spc"));
            Directory.CreateDirectory(Path.Combine(root.Path, "pods"));
            var work = Directory.CreateDirectory(Path.Combine(root.Path, "work")).FullName;
            var providerSocket = Path.Combine(providers, "vault.sock");
            provider = await ProviderProcess.StartAsync(Binary("vault-csi-provider"), ["--endpoint", providerSocket, "--health-addr="], providerSocket, work);

            var endpoint = "unix://" + Path.Combine(root.Path, "csi.sock");
            var driver = await DriverProcess.StartAsync(Binary("secrets-store-csi-driver"), [
                "--endpoint", endpoint, "--nodeid", "node-1",
                "--provider-volume", providers, "--additional-provider-volume-paths=",
                "--spc-dir", Path.Combine(root.Path, "spc"), "--metrics-addr=",
                "--enable-secret-rotation", "--rotation-poll-interval", rotationInterval,
            ], endpoint, work);
            return new VaultStack(root, vault, provider, driver);
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
            root.Dispose();
            throw;
        }
    }

    public void WriteClass(string name, string objectsYaml, string role = Role, string? vaultAddress = null)
    {
        var objects = string.Join("\n", objectsYaml.Split('\n').Select(l => "      " + l));
        File.WriteAllText(Path.Combine(Root, "spc", name + ".yaml"), $"""
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

    public string NewTarget()
    {
        var parent = Path.Combine(Root, "pods", Guid.NewGuid().ToString("N"), "volumes", "kubernetes.io~csi", "secrets");
        Directory.CreateDirectory(parent);
        return Path.Combine(parent, "mount");
    }

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

    public Task<NodePublishVolumeResponse> PublishAsync(NodePublishVolumeRequest request)
        => Driver.Client.Node.NodePublishVolumeAsync(request, deadline: DateTime.UtcNow.AddSeconds(60)).ResponseAsync;

    public Task UnpublishAsync(string target)
        => Driver.Client.Node.NodeUnpublishVolumeAsync(new NodeUnpublishVolumeRequest { VolumeId = "v", TargetPath = target }).ResponseAsync;

    public async ValueTask DisposeAsync()
    {
        await Driver.DisposeAsync();
        await Provider.DisposeAsync();
        await Vault.DisposeAsync();
        _root.Dispose();
    }

    private static string Binary(string name)
    {
        var path = Path.Combine(AppContext.BaseDirectory, name);
        return File.Exists(path) ? path : throw new FileNotFoundException($"{name} was not built beside the tests", path);
    }
}
