using System.Text.Json.Nodes;
using Csi.ProviderHost;
using Csi.Sandboxes.Common;
using Csi.Sandboxes.Vault;
using Csi.Testing;
using Grpc.Core;
using Microsoft.Extensions.Logging;
using SecretsStore.Provider.V1Alpha1;

namespace Csi.Providers.Vault.Tests.Functional;

/// <summary>
/// A Vault sandbox seeded as a cluster would be (kubernetes and jwt auth, KV v1 and v2, database, PKI), and the
/// provider on a real unix socket behind the real host, called through a gRPC client as the driver calls it.
/// </summary>
internal sealed class VaultProviderHarness : IAsyncDisposable
{
    public const string PodNamespace = "default";
    public const string ServiceAccount = "app";
    public const string Role = "app";
    public const string DbPassword = "s3cret-db-password-v1";
    public const string ApiKey = "s3cret-api-key";

    private readonly string _dir;
    private readonly HostedProvider _hosted;
    private readonly ILoggerFactory _loggerFactory;

    private VaultProviderHarness(string dir, VaultSandbox vault, VaultProvider provider, HostedProvider hosted, ILoggerFactory loggerFactory, CapturedLogs logs)
    {
        _dir = dir;
        Vault = vault;
        Provider = provider;
        _hosted = hosted;
        _loggerFactory = loggerFactory;
        Logs = logs;
        Client = hosted.Client;
    }

    public VaultSandbox Vault { get; }

    public VaultProvider Provider { get; }

    public CapturedLogs Logs { get; }

    public CSIDriverProvider.CSIDriverProviderClient Client { get; }

    public string Directory => _dir;

    public string VaultAddress => Vault.Address.ToString().TrimEnd('/');

    /// <summary>Every JWT handed out, to check none leaks.</summary>
    public List<string> Jwts { get; } = [];

    public static async Task<VaultProviderHarness> StartAsync(VaultSandboxOptions? sandboxOptions = null, Action<VaultProviderOptions>? configure = null)
    {
        var dir = System.IO.Directory.CreateTempSubdirectory("vault-provider-").FullName;
        var vault = await VaultSandbox.StartAsync(sandboxOptions);
        Seed(vault);

        var options = new VaultProviderOptions
        {
            VaultAddr = vault.Address.ToString().TrimEnd('/'),
            ClientTimeout = TimeSpan.FromSeconds(5),
            RetryWaitMin = TimeSpan.FromMilliseconds(5),
            RetryWaitMax = TimeSpan.FromMilliseconds(10),
        };
        configure?.Invoke(options);
        var logs = new CapturedLogs();
        var loggerFactory = LoggerFactory.Create(b => b.AddProvider(logs).SetMinimumLevel(LogLevel.Trace));
        // The host's own environment must not leak into the tests.
        var provider = new VaultProvider(options, loggerFactory, environment: _ => null);
        var hostOptions = new ProviderHostOptions { Endpoint = Path.Combine(dir, "vault.sock"), HealthAddr = string.Empty };
        var hosted = await HostedProvider.StartAsync(provider, hostOptions, logs);
        return new VaultProviderHarness(dir, vault, provider, hosted, loggerFactory, logs);
    }

    /// <summary>What a cluster admin would have set up for the app's pods.</summary>
    public static void Seed(VaultSandbox vault)
    {
        vault.EnableKvV1("kv");
        vault.WriteSecret("secret", "app/db", new Dictionary<string, string> { ["username"] = "db-user", ["password"] = DbPassword });
        vault.WriteSecret("kv", "app/config", new Dictionary<string, string> { ["api_key"] = ApiKey, ["greeting_b64"] = Convert.ToBase64String("hello"u8) });
        vault.EnableDatabase();
        vault.WriteDatabaseRole("database", new VaultDatabaseRole { Name = "app" });
        vault.EnablePki();
        vault.WritePkiRole("pki", new VaultPkiRole { Name = "web", AllowedDomains = ["example.com"], AllowSubdomains = true });
        vault.WritePolicy("app",
        [
            new VaultPolicyRule("secret/data/app/*", "read"),
            new VaultPolicyRule("kv/app/*", "read"),
            new VaultPolicyRule("database/creds/app", "read"),
            new VaultPolicyRule("pki/issue/web", "create", "update"),
        ]);
        vault.EnableKubernetesAuth();
        vault.WriteAuthRole("kubernetes", new VaultAuthRole
        {
            Name = Role,
            BoundServiceAccountNames = [ServiceAccount],
            BoundServiceAccountNamespaces = [PodNamespace],
            Audience = "vault",
            TokenTtl = TimeSpan.FromMinutes(20),
            TokenPolicies = ["app"],
        });
        vault.WriteAuthRole("kubernetes", new VaultAuthRole
        {
            Name = "custom-audience",
            BoundServiceAccountNames = [ServiceAccount],
            BoundServiceAccountNamespaces = [PodNamespace],
            Audience = "vault-prod",
            TokenTtl = TimeSpan.FromMinutes(20),
            TokenPolicies = ["app"],
        });
        vault.EnableJwtAuth();
        vault.WriteAuthRole("jwt", new VaultAuthRole
        {
            Name = Role,
            BoundAudiences = ["vault"],
            BoundSubject = $"system:serviceaccount:{PodNamespace}:{ServiceAccount}",
            TokenTtl = TimeSpan.FromMinutes(20),
            TokenPolicies = ["app"],
        });
    }

    public string MintJwt(string audience = "vault", string serviceAccount = ServiceAccount, DateTimeOffset? issuedAt = null, TimeSpan? lifetime = null)
    {
        var jwt = Vault.TokenIssuer.Mint(new ServiceAccountTokenRequest
        {
            Namespace = PodNamespace,
            ServiceAccountName = serviceAccount,
            Audiences = [audience],
            IssuedAt = issuedAt,
            Lifetime = lifetime ?? TimeSpan.FromHours(1),
            PodName = "web-1",
        });
        Jwts.Add(jwt);
        return jwt;
    }

    /// <summary>A MountRequest exactly as the driver sends it.</summary>
    public MountRequest Request(
        IReadOnlyDictionary<string, string> parameters,
        string? jwt = null,
        string audience = "vault",
        DateTimeOffset? expires = null,
        string podUid = "9aeb260f-d64a-426c-9872-95b6bab37e00",
        bool withTokens = true)
    {
        var attributes = new JsonObject();
        foreach (var (key, value) in parameters)
        {
            attributes[key] = value;
        }
        attributes["secretProviderClass"] = "vault-app";
        attributes["csi.storage.k8s.io/pod.name"] = "web-1";
        attributes["csi.storage.k8s.io/pod.namespace"] = PodNamespace;
        attributes["csi.storage.k8s.io/pod.uid"] = podUid;
        attributes["csi.storage.k8s.io/serviceAccount.name"] = ServiceAccount;
        if (withTokens)
        {
            var tokens = new JsonObject
            {
                [audience] = new JsonObject
                {
                    ["token"] = jwt ?? MintJwt(audience),
                    ["expirationTimestamp"] = (expires ?? DateTimeOffset.UtcNow.AddHours(1)).ToString("yyyy-MM-ddTHH:mm:ssZ", System.Globalization.CultureInfo.InvariantCulture),
                },
            };
            attributes["csi.storage.k8s.io/serviceAccount.tokens"] = tokens.ToJsonString();
        }
        return new MountRequest
        {
            Attributes = attributes.ToJsonString(),
            Secrets = "{}",
            Permission = "420",
            TargetPath = Path.Combine(_dir, "target"),
        };
    }

    public Task<MountResponse> MountAsync(IReadOnlyDictionary<string, string> parameters, string? jwt = null, string audience = "vault", string podUid = "9aeb260f-d64a-426c-9872-95b6bab37e00")
        => Client.MountAsync(Request(parameters, jwt, audience, podUid: podUid), deadline: DateTime.UtcNow.AddSeconds(60)).ResponseAsync;

    public async Task<RpcException> MountFailsAsync(MountRequest request)
        => await Assert.ThrowsAsync<RpcException>(() => Client.MountAsync(request, deadline: DateTime.UtcNow.AddSeconds(60)).ResponseAsync);

    /// <summary>roleName app, the given objects, and whatever else is given.</summary>
    public static Dictionary<string, string> Parameters(string objects, params (string Key, string Value)[] extra)
    {
        var parameters = new Dictionary<string, string> { ["roleName"] = Role, ["objects"] = objects };
        foreach (var (key, value) in extra)
        {
            parameters[key] = value;
        }
        return parameters;
    }

    /// <summary>Fails when a message or log line holds a JWT, a Vault token or a secret value.</summary>
    public void AssertNoSecretsIn(string text)
    {
        foreach (var jwt in Jwts)
        {
            Assert.DoesNotContain(jwt, text, StringComparison.Ordinal);
            Assert.DoesNotContain(jwt.Split('.')[2], text, StringComparison.Ordinal);
        }
        Assert.DoesNotContain("hvs.", text, StringComparison.Ordinal);
        Assert.DoesNotContain(DbPassword, text, StringComparison.Ordinal);
        Assert.DoesNotContain(ApiKey, text, StringComparison.Ordinal);
    }

    public async ValueTask DisposeAsync()
    {
        await _hosted.DisposeAsync();
        Provider.Dispose();
        _loggerFactory.Dispose();
        await Vault.DisposeAsync();
        System.IO.Directory.Delete(_dir, recursive: true);
    }
}
