using System.Text.Json.Nodes;
using Csi.Common.RateLimiting;
using Csi.Kubernetes;
using Csi.Sandboxes.Kubernetes;
using Csi.Testing;
using SecretsStore.Driver.Kubernetes;

namespace SecretsStore.Driver.Tests.Kubernetes;

/// <summary>
/// The Kubernetes API sandbox over TLS with the chart's CRDs registered, a kubeconfig file for it, and helpers to
/// seed SecretProviderClasses and pods and read SecretProviderClassPodStatuses back.
/// </summary>
internal sealed class SandboxCluster : IAsyncDisposable
{
    public const string Group = "secrets-store.csi.x-k8s.io";

    private readonly string _directory;

    private SandboxCluster(KubernetesSandbox sandbox, string directory)
    {
        Sandbox = sandbox;
        _directory = directory;
        KubeconfigPath = sandbox.WriteKubeconfig(directory);
    }

    public KubernetesSandbox Sandbox { get; }

    public string KubeconfigPath { get; }

    /// <summary>The sandbox on <paramref name="time"/> (token lifetimes, timestamps), the real clock by default.</summary>
    public static async Task<SandboxCluster> StartAsync(TimeProvider? time = null)
    {
        var sandbox = await KubernetesSandbox.StartAsync(new KubernetesSandboxOptions { UseTls = true, TimeProvider = time ?? TimeProvider.System });
        foreach (var crd in Directory.GetFiles(Path.Combine(RepositoryRoot.Find(), "charts", "secrets-store-csi-driver", "crds"), "*.yaml"))
        {
            sandbox.RegisterCustomResourceDefinition(File.ReadAllText(crd));
        }
        return new SandboxCluster(sandbox, Directory.CreateTempSubdirectory("k8s-sandbox-").FullName);
    }

    public KubernetesApiClient NewClient(double qps = 1000, int burst = 1000)
        => DriverApiClient.Create(KubernetesConnection.FromKubeconfig(KubeconfigPath), new TokenBucket(qps, burst, TimeProvider.System));

    public void SeedClass(string name, string ns = "default", string provider = "test", string version = "v1", string objects = "- objectName: a", JsonArray? secretObjects = null)
    {
        var spec = new JsonObject
        {
            ["provider"] = provider,
            ["parameters"] = new JsonObject { ["objects"] = objects },
        };
        if (secretObjects is not null)
        {
            spec["secretObjects"] = secretObjects;
        }
        Sandbox.Seed(new JsonObject
        {
            ["apiVersion"] = $"{Group}/{version}",
            ["kind"] = "SecretProviderClass",
            ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = ns },
            ["spec"] = spec,
        });
    }

    /// <summary>A class whose spec.secretObjects is <paramref name="secretObjects"/> (a JSON array as the CRD has it).</summary>
    public void SeedClassWithSecrets(string name, JsonArray secretObjects, string ns = "default", string provider = "test")
        => SeedClass(name, ns, provider, secretObjects: secretObjects);

    /// <summary>A class whose spec.secretObjects are Opaque Secrets named <paramref name="secretNames"/>, each with key pass from object password.</summary>
    public void SeedClassSyncing(string name, params string[] secretNames)
        => SeedClassWithSecrets(name, new JsonArray([.. secretNames.Select(secretName => new JsonObject
        {
            ["secretName"] = secretName,
            ["type"] = "Opaque",
            ["data"] = new JsonArray(new JsonObject { ["objectName"] = "password", ["key"] = "pass" }),
        })]));

    /// <summary>A Secret's owners as "Kind/name", in ordinal order.</summary>
    public static string[] OwnerNames(JsonObject secret)
        => secret["metadata"]!["ownerReferences"]?.AsArray().Select(o => $"{(string?)o!["kind"]}/{(string?)o["name"]}").Order(StringComparer.Ordinal).ToArray() ?? [];

    public JsonObject? Secret(string name, string ns = "default") => Sandbox.Get("v1", "Secret", name, ns);

    public IReadOnlyList<JsonObject> Events(string ns = "default") => Sandbox.List("v1", "Event", ns);

    public void SeedPod(string name, string uid, string ns = "default")
        => Sandbox.Seed(new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "Pod",
            ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = ns, ["uid"] = uid },
            ["spec"] = new JsonObject { ["nodeName"] = "node-1", ["containers"] = new JsonArray(new JsonObject { ["name"] = "app", ["image"] = "app" }) },
        });

    /// <summary>
    /// The pods' service account (web-sa) and the driver's CSIDriver with podInfoOnMount and these tokenRequests
    /// (no expirationSeconds where null).
    /// </summary>
    public void SeedTokenRequests(params (string Audience, int? ExpirationSeconds)[] requests)
    {
        Sandbox.Seed(new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "ServiceAccount",
            ["metadata"] = new JsonObject { ["name"] = "web-sa", ["namespace"] = "default" },
        });
        var tokenRequests = new JsonArray();
        foreach (var (audience, expirationSeconds) in requests)
        {
            var request = new JsonObject { ["audience"] = audience };
            if (expirationSeconds is { } seconds)
            {
                request["expirationSeconds"] = seconds;
            }
            tokenRequests.Add(request);
        }
        Sandbox.Seed(new JsonObject
        {
            ["apiVersion"] = "storage.k8s.io/v1",
            ["kind"] = "CSIDriver",
            ["metadata"] = new JsonObject { ["name"] = "secrets-store.csi.k8s.io" },
            ["spec"] = new JsonObject { ["podInfoOnMount"] = true, ["tokenRequests"] = tokenRequests },
        });
    }

    public JsonObject? PodStatus(string name, string ns = "default") => Sandbox.Get($"{Group}/v1", "SecretProviderClassPodStatus", name, ns);

    public int PodStatusCount(string? ns = null) => Sandbox.Count($"{Group}/v1", "SecretProviderClassPodStatus", ns);

    public async ValueTask DisposeAsync()
    {
        await Sandbox.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }
}
