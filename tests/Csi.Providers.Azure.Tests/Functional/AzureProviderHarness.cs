using System.Text.Json.Nodes;
using Csi.ProviderHost;
using Csi.Sandboxes.Azure;
using Csi.Testing;
using Grpc.Core;
using SecretsStore.Provider.V1Alpha1;

namespace Csi.Providers.Azure.Tests.Functional;

/// <summary>
/// A Key Vault sandbox and the Azure provider on a real unix socket behind the real host, called through a
/// gRPC client as the driver calls it. The provider's SDK clients reach the sandbox through its transport.
/// </summary>
internal sealed class AzureProviderHarness : IAsyncDisposable
{
    public const string SpClientId = "0d0d0d0d-1111-2222-3333-444444444444";
    public const string SpClientSecret = "sp-client-secret-value";
    public const string WorkloadClientId = "0e0e0e0e-1111-2222-3333-444444444444";
    public const string BindingClientId = "0b0b0b0b-1111-2222-3333-444444444444";
    public const string PodNamespace = "default";
    public const string ServiceAccount = "app";

    private readonly string _dir;
    private readonly HostedProvider _hosted;

    private AzureProviderHarness(string dir, KeyVaultSandbox sandbox, SandboxVault vault, HostedProvider hosted, CapturedLogs logs)
    {
        Logs = logs;
        _dir = dir;
        Sandbox = sandbox;
        Vault = vault;
        _hosted = hosted;
        Client = hosted.Client;
    }

    public KeyVaultSandbox Sandbox { get; }

    public SandboxVault Vault { get; }

    public CSIDriverProvider.CSIDriverProviderClient Client { get; }

    /// <summary>Everything the host and the provider logged, at debug and above.</summary>
    public CapturedLogs Logs { get; }

    /// <summary>Starts the sandbox and the provider, parsing <paramref name="flags"/> as the binary would.</summary>
    public static async Task<AzureProviderHarness> StartAsync(params string[] flags)
    {
        var dir = Directory.CreateTempSubdirectory("azure-provider-").FullName;
        var sandbox = await KeyVaultSandbox.StartAsync();
        // A fresh vault name per harness: the SDK caches bearer challenges per host for the whole process.
        var vault = sandbox.CreateVault("kv" + Guid.NewGuid().ToString("N")[..20]);
        sandbox.AddClientSecret(SpClientId, SpClientSecret);
        sandbox.AddFederatedCredential(WorkloadClientId, PodNamespace, ServiceAccount);

        var provider = new AzureProvider(sandbox.CreateTransport());
        var socket = Path.Combine(dir, "azure.sock");
        var proxyCa = Path.Combine(dir, "cluster-ca.pem");
        sandbox.WriteTokenProxyCertificateAuthority(proxyCa);
        sandbox.AddFederatedCredential(BindingClientId, PodNamespace, ServiceAccount, audience: KeyVaultSandbox.IdentityBindingAudience);
        var hostOptions = ProviderHostOptions.Parse(provider, [
            $"--endpoint={socket}", $"--token-proxy-url={sandbox.TokenProxyAddress}", $"--sni-name={sandbox.TokenProxySniName}", $"--token-proxy-ca-file={proxyCa}", .. flags]);
        hostOptions.HealthAddr = string.Empty;
        hostOptions.MetricsAddr = string.Empty;
        var logs = new CapturedLogs();
        var hosted = await HostedProvider.StartAsync(provider, hostOptions, logs);
        return new AzureProviderHarness(dir, sandbox, vault, hosted, logs);
    }

    /// <summary>The objects parameter in upstream syntax, one "- |" block per object.</summary>
    public static string Objects(params string[][] objects) =>
        "array:\n" + string.Concat(objects.Select(lines => "  - |\n" + string.Concat(lines.Select(l => "    " + l + "\n"))));

    /// <summary>A MountRequest as the driver sends it: the class's parameters, pod info, optional tokens and node-publish secret.</summary>
    public MountRequest Request(
        string objects,
        IReadOnlyDictionary<string, string>? extra = null,
        IReadOnlyDictionary<string, string>? secrets = null,
        string? workloadToken = null,
        string tokenAudience = KeyVaultSandbox.TokenExchangeAudience)
    {
        var attributes = new JsonObject
        {
            ["keyvaultName"] = Vault.Name,
            ["tenantID"] = Sandbox.TenantId,
            ["objects"] = objects,
            ["secretProviderClass"] = "azure-app",
            ["csi.storage.k8s.io/pod.name"] = "web-1",
            ["csi.storage.k8s.io/pod.namespace"] = PodNamespace,
            ["csi.storage.k8s.io/pod.uid"] = "9aeb260f-d64a-426c-9872-95b6bab37e00",
            ["csi.storage.k8s.io/serviceAccount.name"] = ServiceAccount,
        };
        foreach (var (key, value) in extra ?? new Dictionary<string, string>())
        {
            attributes[key] = value;
        }

        if (workloadToken is not null)
        {
            attributes["csi.storage.k8s.io/serviceAccount.tokens"] = new JsonObject
            {
                [tokenAudience] = new JsonObject
                {
                    ["token"] = workloadToken,
                    ["expirationTimestamp"] = DateTimeOffset.UtcNow.AddHours(1).ToString("yyyy-MM-ddTHH:mm:ssZ", System.Globalization.CultureInfo.InvariantCulture),
                },
            }.ToJsonString();
        }

        var secretJson = new JsonObject();
        foreach (var (key, value) in secrets ?? new Dictionary<string, string> { ["clientid"] = SpClientId, ["clientsecret"] = SpClientSecret })
        {
            secretJson[key] = value;
        }

        return new MountRequest
        {
            Attributes = attributes.ToJsonString(),
            Secrets = secretJson.ToJsonString(),
            Permission = "420",
            TargetPath = Path.Combine(_dir, "target"),
        };
    }

    public Task<MountResponse> MountAsync(MountRequest request) =>
        Client.MountAsync(request, deadline: DateTime.UtcNow.AddSeconds(60)).ResponseAsync;

    public async Task<RpcException> MountFailsAsync(MountRequest request) =>
        await Assert.ThrowsAsync<RpcException>(() => MountAsync(request));

    public string WorkloadToken(string serviceAccount = ServiceAccount, string audience = KeyVaultSandbox.TokenExchangeAudience) =>
        Sandbox.TokenIssuer.Mint(PodNamespace, serviceAccount, audience);

    public async ValueTask DisposeAsync()
    {
        await _hosted.DisposeAsync();
        await Sandbox.DisposeAsync();
        Directory.Delete(_dir, recursive: true);
    }
}
