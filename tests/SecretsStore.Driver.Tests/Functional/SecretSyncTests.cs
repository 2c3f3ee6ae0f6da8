using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json.Nodes;
using Csi.Testing;
using Microsoft.Extensions.DependencyInjection;
using SecretsStore.Driver.Tests.Kubernetes;

namespace SecretsStore.Driver.Tests.Functional;

/// <summary>
/// spec.secretObjects with the real driver against the API sandbox: Secrets created with their type, labels,
/// annotations and pod owners; TLS cut from PEM and PFX; owners merged across pods and released on unpublish;
/// deleted Secrets restored by the watch; rotation and failures as Events on the pod, never with secret values.
/// </summary>
public sealed class SecretSyncTests : IAsyncLifetime
{
    private const string PodUid = "11111111-2222-4333-8444-555555555555";
    private const string OtherPodUid = "66666666-7777-4888-9999-000000000000";
    private const string Password = "pw-Zk83-never-logged";
    private const string Username = "admin-Qx71-never-logged";

    private SandboxCluster _cluster = null!;
    private DriverHarness _h = null!;

    public async Task InitializeAsync()
    {
        _cluster = await SandboxCluster.StartAsync();
        _cluster.SeedPod("web", PodUid);
        _cluster.SeedPod("web-2", OtherPodUid);
        _h = await DriverHarness.StartWithKubernetesAsync(_cluster.KubeconfigPath, "--enable-secret-rotation", "--rotation-poll-interval=1ms");
        _h.ServeFiles(("username", Username), ("password", Password));
    }

    public async Task DisposeAsync()
    {
        await _h.DisposeAsync();
        await _cluster.DisposeAsync();
    }

    private static JsonArray Opaque(string secretName = "db", string objectName = "password")
        => new(new JsonObject
        {
            ["secretName"] = secretName,
            ["type"] = "Opaque",
            ["labels"] = new JsonObject { ["app"] = "web" },
            ["annotations"] = new JsonObject { ["team"] = "payments" },
            ["data"] = new JsonArray(
                new JsonObject { ["objectName"] = objectName, ["key"] = "pass" },
                new JsonObject { ["objectName"] = "username", ["key"] = "user" }),
        });

    private static JsonArray Tls(string objectName = "cert")
        => new(new JsonObject
        {
            ["secretName"] = "tls",
            ["type"] = "kubernetes.io/tls",
            ["data"] = new JsonArray(
                new JsonObject { ["objectName"] = objectName, ["key"] = "tls.key" },
                new JsonObject { ["objectName"] = objectName, ["key"] = "tls.crt" }),
        });

    private static global::Csi.V1.NodePublishVolumeRequest Request(string target, string podName = "web", string podUid = PodUid)
        => DriverHarness.PublishRequest(target, "spc", "default", podName, podUid);

    private static string Data(JsonObject secret, string key) => Encoding.UTF8.GetString(Convert.FromBase64String((string)secret["data"]![key]!));

    private static string[] OwnerUids(JsonObject secret) => secret["metadata"]!["ownerReferences"]?.AsArray().Select(o => (string)o!["uid"]!).Order().ToArray() ?? [];

    private JsonObject[] EventsWithReason(string reason) => _cluster.Events().Where(e => (string?)e["reason"] == reason).ToArray();

    private void AssertNoSecretValueLeaked()
    {
        var events = string.Join('\n', _cluster.Events().Select(e => e.ToJsonString()));
        foreach (var value in new[] { Password, Username, Convert.ToBase64String(Encoding.UTF8.GetBytes(Password)) })
        {
            Assert.DoesNotContain(value, events, StringComparison.Ordinal);
            Assert.DoesNotContain(value, _h.Logs.All, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Publish_CreatesTheSecret_WithTypeLabelsAnnotationsManagedLabelDataAndPodOwner()
    {
        _cluster.SeedClassWithSecrets("spc", Opaque());

        await _h.PublishAsync(Request(_h.NewTarget()));

        var secret = _cluster.Secret("db")!;
        Assert.NotNull(secret);
        Assert.Equal("Opaque", (string?)secret["type"]);
        var labels = secret["metadata"]!["labels"]!;
        Assert.Equal(("web", "true"), ((string?)labels["app"], (string?)labels["secrets-store.csi.k8s.io/managed"]));
        Assert.Equal("payments", (string?)secret["metadata"]!["annotations"]!["team"]);
        Assert.Equal((Password, Username), (Data(secret, "pass"), Data(secret, "user")));
        var owner = Assert.Single(secret["metadata"]!["ownerReferences"]!.AsArray())!;
        Assert.Equal(("v1", "Pod", "web", PodUid), ((string?)owner["apiVersion"], (string?)owner["kind"], (string?)owner["name"], (string?)owner["uid"]));
        Assert.Empty(EventsWithReason("FailedToCreateSecret"));
        Assert.Equal(1, _h.Services.GetRequiredService<SecretsStore.Driver.Diagnostics.DriverMetrics>().SyncK8sSecret.Value("test", "linux"));
        AssertNoSecretValueLeaked();
    }

    [Fact]
    public async Task Publish_TlsSecret_SplitsKeyAndCertificates_FromPem()
    {
        using var rsa = RSA.Create(2048);
        using var certificate = SelfSigned(rsa);
        _cluster.SeedClassWithSecrets("spc", Tls());
        _h.ServeFiles(("cert", certificate.ExportCertificatePem() + "\n" + rsa.ExportPkcs8PrivateKeyPem() + "\n"));

        await _h.PublishAsync(Request(_h.NewTarget()));

        var secret = _cluster.Secret("tls")!;
        Assert.Equal("kubernetes.io/tls", (string?)secret["type"]);
        Assert.Equal(rsa.ExportRSAPrivateKeyPem() + "\n", Data(secret, "tls.key"));
        Assert.Equal(certificate.ExportCertificatePem() + "\n", Data(secret, "tls.crt"));
    }

    [Fact]
    public async Task Publish_TlsSecret_SplitsKeyAndCertificate_FromABase64Pfx()
    {
        using var ec = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var certificate = SelfSigned(ec);
        _cluster.SeedClassWithSecrets("spc", Tls());
        _h.ServeFiles(("cert", Convert.ToBase64String(certificate.Export(X509ContentType.Pfx))));

        await _h.PublishAsync(Request(_h.NewTarget()));

        var secret = _cluster.Secret("tls")!;
        Assert.Equal(ec.ExportECPrivateKeyPem() + "\n", Data(secret, "tls.key"));
        Assert.Equal(certificate.ExportCertificatePem() + "\n", Data(secret, "tls.crt"));
    }

    [Fact]
    public async Task SecondPod_MountingTheSameClass_AddsItsOwner_KeepingTheFirst()
    {
        _cluster.SeedClassWithSecrets("spc", Opaque());
        await _h.PublishAsync(Request(_h.NewTarget()));

        await _h.PublishAsync(Request(_h.NewTarget(), "web-2", OtherPodUid));

        Assert.Equal(new[] { PodUid, OtherPodUid }.Order(), OwnerUids(_cluster.Secret("db")!));
    }

    [Fact]
    public async Task UnpublishingOnePod_KeepsTheSecret_AndAfterTheLastOneGarbageCollectionDeletesIt()
    {
        _cluster.SeedClassWithSecrets("spc", Opaque());
        var first = _h.NewTarget();
        var second = _h.NewTarget();
        await _h.PublishAsync(Request(first));
        await _h.PublishAsync(Request(second, "web-2", OtherPodUid));

        await _h.UnpublishAsync(first);
        _cluster.Sandbox.Delete("v1", "Pod", "web", "default");
        await _cluster.Sandbox.WaitForGarbageCollectionAsync();

        Assert.Equal([OtherPodUid], OwnerUids(_cluster.Secret("db")!));

        await _h.UnpublishAsync(second);
        Assert.NotNull(_cluster.Secret("db")); // the last owner stays: the Secret goes with its pod
        _cluster.Sandbox.Delete("v1", "Pod", "web-2", "default");
        await _cluster.Sandbox.WaitForGarbageCollectionAsync();

        Assert.Null(_cluster.Secret("db"));
    }

    [Fact]
    public async Task DeletingTheSecret_WhileAVolumeNeedsIt_ReCreatesIt()
    {
        _cluster.SeedClassWithSecrets("spc", Opaque());
        await _h.PublishAsync(Request(_h.NewTarget()));
        await _cluster.Sandbox.WaitForWatchesAsync(1, "secrets", TimeSpan.FromSeconds(10));

        Assert.True(_cluster.Sandbox.Delete("v1", "Secret", "db", "default"));

        await Eventually.TrueAsync(() => _cluster.Secret("db") is not null, "the Secret to come back", TimeSpan.FromSeconds(15));
        var secret = _cluster.Secret("db")!;
        Assert.Equal(Password, Data(secret, "pass"));
        Assert.Equal([PodUid], OwnerUids(secret));
        Assert.Equal(0, _cluster.Sandbox.CountRequests(verb: "list", resource: "pods"));
    }

    [Fact]
    public async Task AfterTheWatchExpires_TheDriverRelists_AndStillRestoresDeletedSecrets()
    {
        _cluster.SeedClassWithSecrets("spc", Opaque());
        await _h.PublishAsync(Request(_h.NewTarget()));
        await _cluster.Sandbox.WaitForWatchesAsync(1, "secrets", TimeSpan.FromSeconds(10));
        var lists = _cluster.Sandbox.CountRequests(verb: "list", resource: "secrets");

        _cluster.Sandbox.CompactWatchCache();
        _cluster.Sandbox.ExpireWatches();
        await Eventually.TrueAsync(() => _cluster.Sandbox.CountRequests(verb: "list", resource: "secrets") > lists, "a relist", TimeSpan.FromSeconds(15));
        await _cluster.Sandbox.WaitForWatchesAsync(1, "secrets", TimeSpan.FromSeconds(10));
        _cluster.Sandbox.Delete("v1", "Secret", "db", "default");

        await Eventually.TrueAsync(() => _cluster.Secret("db") is not null, "the Secret to come back", TimeSpan.FromSeconds(15));
        Assert.All(_cluster.Sandbox.RequestLog.Where(e => e.Resource == "secrets" && e.Verb is "list" or "watch"),
            e => Assert.Contains("labelSelector=secrets-store.csi.k8s.io", Uri.UnescapeDataString(e.Query ?? string.Empty), StringComparison.Ordinal));
    }

    [Fact]
    public async Task Rotation_UpdatesTheFilesThePodStatusAndTheSecret_AndRecordsSecretRotationComplete()
    {
        _cluster.SeedClassWithSecrets("spc", Opaque());
        var target = _h.NewTarget();
        await _h.PublishAsync(Request(target));

        _h.ServeFiles(("username", Username), ("password", "rotated-Pw-2"));
        await Task.Delay(5);
        await _h.PublishAsync(Request(target));

        Assert.Equal("rotated-Pw-2", File.ReadAllText(Path.Combine(target, "password")));
        Assert.Contains("v-rotated-Pw-2", _cluster.PodStatus("web-default-spc")!["status"]!["objects"]!.ToJsonString(), StringComparison.Ordinal);
        Assert.Equal("rotated-Pw-2", Data(_cluster.Secret("db")!, "pass"));
        var rotated = Assert.Single(EventsWithReason("SecretRotationComplete"));
        Assert.Equal("Normal", (string?)rotated["type"]);
        Assert.Equal("csi-secrets-store-rotation", (string?)rotated["source"]!["component"]);
        Assert.Equal(("Pod", "web", PodUid), ((string?)rotated["involvedObject"]!["kind"], (string?)rotated["involvedObject"]!["name"], (string?)rotated["involvedObject"]!["uid"]));
        Assert.Contains("Secret(s) db", (string?)rotated["message"], StringComparison.Ordinal);
        Assert.Equal(1, (int?)rotated["count"]);
        Assert.NotNull(rotated["firstTimestamp"]);
        Assert.DoesNotContain("rotated-Pw-2", _h.Logs.All + string.Join('\n', _cluster.Events().Select(e => e.ToJsonString())), StringComparison.Ordinal);
        AssertNoSecretValueLeaked();
    }

    [Fact]
    public async Task RotationThatChangesNothing_WritesNoSecret()
    {
        _cluster.SeedClassWithSecrets("spc", Opaque());
        var target = _h.NewTarget();
        await _h.PublishAsync(Request(target));
        var before = _cluster.Sandbox.CountRequests(resource: "secrets", verb: "update") + _cluster.Sandbox.CountRequests(resource: "secrets", verb: "get");

        for (var i = 0; i < 5; i++)
        {
            await Task.Delay(2);
            await _h.PublishAsync(Request(target));
        }

        Assert.Equal(before, _cluster.Sandbox.CountRequests(resource: "secrets", verb: "update") + _cluster.Sandbox.CountRequests(resource: "secrets", verb: "get"));
        Assert.Empty(EventsWithReason("SecretRotationComplete"));
    }

    [Fact]
    public async Task FailedRotation_KeepsTheContent_AndRecordsSecretRotationFailed()
    {
        _cluster.SeedClassWithSecrets("spc", Opaque());
        var target = _h.NewTarget();
        await _h.PublishAsync(Request(target));

        _h.ProviderService.Handler = (_, _) => throw new Grpc.Core.RpcException(new Grpc.Core.Status(Grpc.Core.StatusCode.Unavailable, "vault sealed"));
        await Task.Delay(5);
        await _h.PublishAsync(Request(target));

        Assert.Equal(Password, File.ReadAllText(Path.Combine(target, "password")));
        var failed = Assert.Single(EventsWithReason("SecretRotationFailed"));
        Assert.Equal("Warning", (string?)failed["type"]);
        Assert.Contains("SecretProviderClass default/spc", (string?)failed["message"], StringComparison.Ordinal);
        Assert.Contains("keeping the last good content", (string?)failed["message"], StringComparison.Ordinal);
        AssertNoSecretValueLeaked();
    }

    [Fact]
    public async Task ForbiddenSecretWrite_RecordsAWarningEvent_NamingTheSecretAndTheFix_AndTheMountSucceeds()
    {
        _cluster.SeedClassWithSecrets("spc", Opaque());
        _cluster.Sandbox.FailNextRequests(1, 403, verb: "create", resource: "secrets");
        var target = _h.NewTarget();

        await _h.PublishAsync(Request(target));

        Assert.Equal("tmpfs", MountTable.FileSystemAt(target));
        Assert.Null(_cluster.Secret("db"));
        var warning = Assert.Single(EventsWithReason("FailedToCreateSecret"));
        Assert.Equal(("Warning", "csi-secrets-store-controller", "node-1"), ((string?)warning["type"], (string?)warning["source"]!["component"], (string?)warning["source"]!["host"]));
        var message = (string)warning["message"]!;
        Assert.Contains("Secret db", message, StringComparison.Ordinal);
        Assert.Contains("403", message, StringComparison.Ordinal);
        Assert.Contains("syncSecret.enabled=true", message, StringComparison.Ordinal);
        Assert.Contains(_h.Logs.Lines, l => l.Contains("SecretSyncFailed", StringComparison.Ordinal));
        AssertNoSecretValueLeaked();
    }

    [Fact]
    public async Task ObjectNameNotMounted_RecordsAWarningEvent_NamingIt_AndTheMountSucceeds()
    {
        _cluster.SeedClassWithSecrets("spc", Opaque(objectName: "pasword"));
        var target = _h.NewTarget();

        await _h.PublishAsync(Request(target));

        Assert.Equal(Password, File.ReadAllText(Path.Combine(target, "password")));
        Assert.Null(_cluster.Secret("db"));
        var message = (string)Assert.Single(EventsWithReason("FailedToCreateSecret"))["message"]!;
        Assert.Contains("objectName \"pasword\" is not among the files mounted", message, StringComparison.Ordinal);
        Assert.Contains("mounted: password, username", message, StringComparison.Ordinal);
        AssertNoSecretValueLeaked();
    }

    [Fact]
    public async Task BadTlsContent_RecordsAWarningEvent_AndTheMountSucceeds()
    {
        _cluster.SeedClassWithSecrets("spc", Tls(objectName: "password"));

        await _h.PublishAsync(Request(_h.NewTarget()));

        var message = (string)Assert.Single(EventsWithReason("FailedToCreateSecret"))["message"]!;
        Assert.Contains("Secret tls (kubernetes.io/tls): objectName password is neither PEM nor a PFX", message, StringComparison.Ordinal);
        AssertNoSecretValueLeaked();
    }

    [Fact]
    public async Task RepeatedFailure_BumpsTheEventCount_InsteadOfAddingEvents()
    {
        _cluster.SeedClassWithSecrets("spc", Opaque(objectName: "missing"));
        var target = _h.NewTarget();
        await _h.PublishAsync(Request(target));

        _h.ServeFiles(("username", Username), ("password", "changed-pw"));
        await Task.Delay(5);
        await _h.PublishAsync(Request(target));

        var warning = Assert.Single(EventsWithReason("FailedToCreateSecret"));
        Assert.Equal(2, (int?)warning["count"]);
    }

    [Fact]
    public async Task WatchErrors_AreRetriedWithBackoff_AndTheWatchStillRestores()
    {
        _cluster.SeedClassWithSecrets("spc", Opaque());
        _cluster.Sandbox.FailNextRequests(2, 500, verb: "list", resource: "secrets");
        await _h.PublishAsync(Request(_h.NewTarget()));

        await _cluster.Sandbox.WaitForWatchesAsync(1, "secrets", TimeSpan.FromSeconds(15));
        _cluster.Sandbox.Delete("v1", "Secret", "db", "default");

        await Eventually.TrueAsync(() => _cluster.Secret("db") is not null, "the Secret to come back", TimeSpan.FromSeconds(15));
        var lists = _cluster.Sandbox.RequestLog.Where(e => e.Resource == "secrets" && e.Verb == "list").Select(e => e.Time).ToArray();
        Assert.Equal(3, lists.Length);
        Assert.True(lists[2] - lists[1] > lists[1] - lists[0], "the second retry waits longer than the first");
        Assert.Contains(_h.Logs.Lines, l => l.Contains("SecretWatchFailed", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ClassesWithoutSecretObjects_NeverTouchSecrets()
    {
        _cluster.SeedClass("spc", provider: DriverHarness.ProviderName);

        await _h.PublishAsync(Request(_h.NewTarget()));
        await Task.Delay(200);

        Assert.Equal(0, _cluster.Sandbox.CountRequests(resource: "secrets"));
    }

    [Fact]
    public async Task SecretCollectedWithItsDeletedPod_IsNotRestored()
    {
        _cluster.SeedClassWithSecrets("spc", Opaque());
        await _h.PublishAsync(Request(_h.NewTarget()));
        await _cluster.Sandbox.WaitForWatchesAsync(1, "secrets", TimeSpan.FromSeconds(10));

        _cluster.Sandbox.Delete("v1", "Pod", "web", "default"); // kubelet has not unpublished yet
        await _cluster.Sandbox.WaitForGarbageCollectionAsync();
        await Eventually.TrueAsync(() => _cluster.Sandbox.CountRequests(verb: "get", resource: "pods") > 0, "the driver to look for the pod", TimeSpan.FromSeconds(15));
        await Task.Delay(300);

        Assert.Null(_cluster.Secret("db"));
        Assert.Equal(1, _cluster.Sandbox.CountRequests(verb: "create", resource: "secrets"));
    }

    private static X509Certificate2 SelfSigned(AsymmetricAlgorithm key)
    {
        var request = key is RSA rsa
            ? new CertificateRequest("CN=web.example", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1)
            : new CertificateRequest("CN=web.example", (ECDsa)key, HashAlgorithmName.SHA256);
        return request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30));
    }
}
