using System.Text.Json;
using System.Text.Json.Nodes;
using Csi.Kubernetes;
using SecretsStore.Driver.Kubernetes;
using SecretsStore.Driver.PodStatuses;

namespace SecretsStore.Driver.Tests.Kubernetes;

/// <summary>The wire shapes of SecretProviderClass (v1, v1alpha1) and SecretProviderClassPodStatus, field for field.</summary>
public sealed class ModelMappingTests
{
    private const string V1Class = """
        {
          "apiVersion": "secrets-store.csi.x-k8s.io/v1",
          "kind": "SecretProviderClass",
          "metadata": { "name": "db", "namespace": "apps", "uid": "u-1", "resourceVersion": "42", "generation": 3 },
          "spec": {
            "provider": "vault",
            "parameters": { "roleName": "db", "objects": "- objectName: password\n  secretPath: kv/db\n" },
            "secretObjects": [
              {
                "secretName": "db-secret",
                "type": "kubernetes.io/tls",
                "labels": { "team": "a" },
                "annotations": { "note": "b" },
                "data": [ { "objectName": "password", "key": "pw" }, { "objectName": "cert" } ]
              },
              null
            ]
          }
        }
        """;

    [Fact]
    public void SecretProviderClassV1_MapsEveryField()
    {
        var resource = JsonSerializer.Deserialize(V1Class, SecretsStoreJsonContext.Default.SecretProviderClassResource)!;

        var spc = SecretProviderClassMapping.ToDriverModel(resource, "apps");

        Assert.Equal(("apps", "db", "vault", "apps/db"), (spc.Namespace, spc.Name, spc.Provider, spc.QualifiedName));
        Assert.Equal("db", spc.Parameters["roleName"]);
        Assert.Equal("- objectName: password\n  secretPath: kv/db\n", spc.Parameters["objects"]);
        var secret = Assert.Single(spc.SecretObjects);
        Assert.Equal(("db-secret", "kubernetes.io/tls"), (secret.SecretName, secret.Type));
        Assert.Equal("a", secret.Labels["team"]);
        Assert.Equal("b", secret.Annotations["note"]);
        Assert.Equal([new("password", "pw"), new("cert", string.Empty)], secret.Data);
    }

    [Fact]
    public void SecretProviderClassV1Alpha1_WithByPodStatus_MapsTheSame()
    {
        var alpha = JsonNode.Parse(V1Class)!.AsObject();
        alpha["apiVersion"] = "secrets-store.csi.x-k8s.io/v1alpha1";
        alpha["status"] = new JsonObject { ["byPod"] = new JsonArray(new JsonObject { ["id"] = "pod-1", ["namespace"] = "apps" }) };

        var resource = alpha.Deserialize(SecretsStoreJsonContext.Default.SecretProviderClassResource)!;
        var spc = SecretProviderClassMapping.ToDriverModel(resource, "apps");

        Assert.Equal("pod-1", resource.Status!.ByPod![0]!.Id);
        Assert.Equal(("apps/db", "vault", 2), (spc.QualifiedName, spc.Provider, spc.Parameters.Count));
        Assert.Single(spc.SecretObjects);
    }

    [Fact]
    public void SecretProviderClass_WithoutSpec_MapsToEmptyProviderAndParameters()
    {
        var resource = JsonSerializer.Deserialize("""{"metadata":{"name":"bare"}}""", SecretsStoreJsonContext.Default.SecretProviderClassResource)!;

        var spc = SecretProviderClassMapping.ToDriverModel(resource, "ns-from-request");

        Assert.Equal(("ns-from-request", "bare", string.Empty, 0, 0), (spc.Namespace, spc.Name, spc.Provider, spc.Parameters.Count, spc.SecretObjects.Count));
    }

    [Fact]
    public void PodStatus_New_IsWhatUpstreamWrites()
    {
        var record = Record([new("secret/b", "2"), new("secret/a", "1")]);

        var resource = PodStatusMapping.Apply(null, record);
        var json = JsonNode.Parse(JsonSerializer.Serialize(resource, SecretsStoreJsonContext.Default.SecretProviderClassPodStatusResource))!;

        Assert.Equal("secrets-store.csi.x-k8s.io/v1", (string?)json["apiVersion"]);
        Assert.Equal("SecretProviderClassPodStatus", (string?)json["kind"]);
        Assert.Equal("web-0-apps-db", (string?)json["metadata"]!["name"]);
        Assert.Equal("apps", (string?)json["metadata"]!["namespace"]);
        Assert.Equal("node-1", (string?)json["metadata"]!["labels"]!["internal.secrets-store.csi.k8s.io/node-name"]);
        var owner = Assert.Single(json["metadata"]!["ownerReferences"]!.AsArray())!.AsObject();
        Assert.Equal(["apiVersion", "kind", "name", "uid"], owner.Select(p => p.Key));
        Assert.Equal(("v1", "Pod", "web-0", "pod-uid"), ((string?)owner["apiVersion"], (string?)owner["kind"], (string?)owner["name"], (string?)owner["uid"]));
        Assert.Null(json["metadata"]!["resourceVersion"]);
        var status = json["status"]!;
        Assert.Equal(("web-0", "db", true, "/pods/pod-uid/volumes/kubernetes.io~csi/secrets/mount"),
            ((string?)status["podName"], (string?)status["secretProviderClassName"], (bool?)status["mounted"], (string?)status["targetPath"]));
        Assert.Equal("""[{"id":"secret/a","version":"1"},{"id":"secret/b","version":"2"}]""", status["objects"]!.ToJsonString());
    }

    [Fact]
    public void PodStatus_OntoAnExistingObject_KeepsWhatOthersWrote()
    {
        var existing = JsonSerializer.Deserialize("""
            {
              "apiVersion": "secrets-store.csi.x-k8s.io/v1",
              "kind": "SecretProviderClassPodStatus",
              "metadata": {
                "name": "web-0-apps-db", "namespace": "apps", "uid": "spcps-uid", "resourceVersion": "7",
                "labels": { "internal.secrets-store.csi.k8s.io/node-name": "node-old", "team": "a" },
                "annotations": { "note": "kept" },
                "finalizers": [ "example.com/keep" ],
                "ownerReferences": [ { "apiVersion": "v1", "kind": "Pod", "name": "web-0", "uid": "old-pod-uid" } ]
              },
              "status": { "podName": "web-0", "mounted": true, "objects": [ { "id": "secret/a", "version": "0" } ] }
            }
            """, SecretsStoreJsonContext.Default.SecretProviderClassPodStatusResource);

        var updated = PodStatusMapping.Apply(existing, Record([new("secret/a", "1")]));
        var json = JsonNode.Parse(JsonSerializer.Serialize(updated, SecretsStoreJsonContext.Default.SecretProviderClassPodStatusResource))!;

        Assert.Equal("7", (string?)json["metadata"]!["resourceVersion"]);
        Assert.Equal("node-1", (string?)json["metadata"]!["labels"]!["internal.secrets-store.csi.k8s.io/node-name"]);
        Assert.Equal("a", (string?)json["metadata"]!["labels"]!["team"]);
        Assert.Equal("kept", (string?)json["metadata"]!["annotations"]!["note"]);
        Assert.Equal("example.com/keep", (string?)json["metadata"]!["finalizers"]![0]);
        Assert.Equal("pod-uid", (string?)Assert.Single(json["metadata"]!["ownerReferences"]!.AsArray())!["uid"]);
        Assert.Equal([new ObjectVersionRecord("secret/a", "1")], PodStatusMapping.Objects(updated));
    }

    [Fact]
    public void ApiResource_Paths_AreTheApiServers()
    {
        Assert.Equal("/apis/secrets-store.csi.x-k8s.io/v1/namespaces/apps/secretproviderclasses/db", SecretsStoreResources.SecretProviderClassesV1.ObjectPath("apps", "db"));
        Assert.Equal("/apis/secrets-store.csi.x-k8s.io/v1/secretproviderclasspodstatuses", SecretsStoreResources.SecretProviderClassPodStatusesV1.CollectionPath(null));
        Assert.Equal("/api/v1/namespaces/default/pods", new ApiResource(string.Empty, "v1", "pods").CollectionPath("default"));
    }

    private static PodStatusRecord Record(IReadOnlyList<ObjectVersionRecord> objects)
        => new("web-0", "apps", "pod-uid", "db", "node-1", "/pods/pod-uid/volumes/kubernetes.io~csi/secrets/mount", true, objects);
}
