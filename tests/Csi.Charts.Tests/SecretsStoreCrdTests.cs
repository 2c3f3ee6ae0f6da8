using System.Net;
using System.Text.Json.Nodes;
using Csi.Sandboxes.Kubernetes;
using Csi.Testing;
using k8s;
using k8s.Autorest;

namespace Csi.Charts.Tests;

/// <summary>
/// The chart's CRDs, registered in the Kubernetes sandbox and exercised through the real client: what upstream
/// accepts is accepted, and the mistakes our schema catches are rejected with the field named.
/// </summary>
public sealed class SecretsStoreCrdTests : IAsyncLifetime, IDisposable
{
    private const string Group = "secrets-store.csi.x-k8s.io";
    private const string Classes = "secretproviderclasses";
    private const string Statuses = "secretproviderclasspodstatuses";

    private KubernetesSandbox _sandbox = null!;
    private k8s.Kubernetes _client = null!;

    public async Task InitializeAsync()
    {
        _sandbox = await KubernetesSandbox.StartAsync();
        _client = new k8s.Kubernetes(_sandbox.ClientConfiguration());
        var crds = Path.Combine(RepositoryRoot.Find(), "charts", "secrets-store-csi-driver", "crds");
        foreach (var file in Directory.EnumerateFiles(crds, "*.yaml"))
        {
            _sandbox.RegisterCustomResourceDefinition(await File.ReadAllTextAsync(file));
        }
    }

    public async Task DisposeAsync() => await _sandbox.DisposeAsync();

    public void Dispose() => _client?.Dispose();

    [Fact]
    public async Task SecretProviderClass_AsUpstreamWritesIt_IsAccepted_InV1AndV1alpha1()
    {
        var v1 = Class("vault-db", "v1");
        v1["spec"]!["secretObjects"] = JsonNode.Parse("""
            [{"secretName": "db", "type": "Opaque", "labels": {"app": "web"}, "data": [{"objectName": "password", "key": "pw"}]}]
            """);

        await _client.CustomObjects.CreateNamespacedCustomObjectAsync(v1, Group, "v1", "default", Classes);
        await _client.CustomObjects.CreateNamespacedCustomObjectAsync(Class("old", "v1alpha1"), Group, "v1alpha1", "default", Classes);

        var read = Json(await _client.CustomObjects.GetNamespacedCustomObjectAsync(Group, "v1", "default", Classes, "vault-db"));
        Assert.Equal("pw", read["spec"]!["secretObjects"]![0]!["data"]![0]!["key"]!.GetValue<string>());
        var alpha = Json(await _client.CustomObjects.GetNamespacedCustomObjectAsync(Group, "v1alpha1", "default", Classes, "old"));
        Assert.Equal("vault", alpha["spec"]!["provider"]!.GetValue<string>());
    }

    public static TheoryData<string, string> Mistakes => new()
    {
        { """{"parameters": {"a": "b"}}""", "spec.provider" },
        { """{"provider": ""}""", "spec.provider" },
        { """{"provider": "vault", "secretObjects": [{"type": "Opaque"}]}""", "spec.secretObjects[0].secretName" },
        { """{"provider": "vault", "secretObjects": [{"secretName": "db"}]}""", "spec.secretObjects[0].type" },
        { """{"provider": "vault", "secretObjects": [{"secretName": "db", "type": "Opaque", "data": [{"key": "pw"}]}]}""", "spec.secretObjects[0].data[0].objectName" },
        { """{"provider": "vault", "secretObjects": [{"secretName": "db", "type": "Opaque", "data": [{"objectName": "password"}]}]}""", "spec.secretObjects[0].data[0].key" },
        { """{"provider": "vault", "parameters": {"port": 8200}}""", "spec.parameters.port" },
    };

    [Theory]
    [MemberData(nameof(Mistakes))]
    public async Task SecretProviderClass_Mistakes_AreRejected_NamingTheField(string spec, string field)
    {
        var body = Class("bad", "v1");
        body["spec"] = JsonNode.Parse(spec);

        var error = await Assert.ThrowsAsync<HttpOperationException>(() => _client.CustomObjects.CreateNamespacedCustomObjectAsync(body, Group, "v1", "default", Classes));

        Assert.Equal(HttpStatusCode.UnprocessableEntity, error.Response.StatusCode);
        Assert.Contains(field, error.Response.Content, StringComparison.Ordinal);
        Assert.Equal(0, _sandbox.Count(Group + "/v1", "SecretProviderClass", "default"));
    }

    [Fact]
    public async Task SecretProviderClassPodStatus_HoldsWhatTheDriverRecords()
    {
        var status = new JsonObject
        {
            ["apiVersion"] = Group + "/v1",
            ["kind"] = "SecretProviderClassPodStatus",
            ["metadata"] = new JsonObject
            {
                ["name"] = "web-0-default-vault-db",
                ["labels"] = new JsonObject { ["internal.secrets-store.csi.k8s.io/node-name"] = "node-1" },
            },
            ["status"] = JsonNode.Parse("""
                {"podName": "web-0", "secretProviderClassName": "vault-db", "mounted": true,
                 "targetPath": "/var/lib/kubelet/pods/uid/volumes/kubernetes.io~csi/secrets/mount",
                 "objects": [{"id": "secret/password", "version": "3"}]}
                """),
        };

        await _client.CustomObjects.CreateNamespacedCustomObjectAsync(status, Group, "v1", "default", Statuses);

        var onNode = Json(await _client.CustomObjects.ListNamespacedCustomObjectAsync(Group, "v1", "default", Statuses, labelSelector: "internal.secrets-store.csi.k8s.io/node-name=node-1"));
        var item = Assert.Single(onNode["items"]!.AsArray())!;
        Assert.True(item["status"]!["mounted"]!.GetValue<bool>());
        Assert.Equal("3", item["status"]!["objects"]![0]!["version"]!.GetValue<string>());
    }

    private static JsonObject Class(string name, string version) => new()
    {
        ["apiVersion"] = $"{Group}/{version}",
        ["kind"] = "SecretProviderClass",
        ["metadata"] = new JsonObject { ["name"] = name },
        ["spec"] = new JsonObject
        {
            ["provider"] = "vault",
            ["parameters"] = new JsonObject { ["roleName"] = "web", ["objects"] = "- objectName: password" },
        },
    };

    private static JsonObject Json(object response) => JsonNode.Parse(KubernetesJson.Serialize(response))!.AsObject();
}
