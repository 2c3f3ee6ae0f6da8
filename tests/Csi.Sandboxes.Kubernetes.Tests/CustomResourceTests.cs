using System.Net;
using System.Text.Json.Nodes;
using k8s;
using k8s.Models;

namespace Csi.Sandboxes.Kubernetes.Tests;

public sealed class CustomResourceTests : SandboxTestBase
{
    private const string SpcGroup = "secrets-store.csi.x-k8s.io";

    private static JsonObject Spc(string name, string provider = "vault") => new()
    {
        ["apiVersion"] = SpcGroup + "/v1",
        ["kind"] = "SecretProviderClass",
        ["metadata"] = new JsonObject { ["name"] = name },
        ["spec"] = new JsonObject
        {
            ["provider"] = provider,
            ["parameters"] = new JsonObject { ["roleName"] = "app", ["objects"] = "- objectName: db" },
        },
    };

    private static JsonObject Widget(string name, JsonObject spec) => new()
    {
        ["apiVersion"] = "example.com/v1",
        ["kind"] = "Widget",
        ["metadata"] = new JsonObject { ["name"] = name },
        ["spec"] = spec,
    };

    [Fact]
    public async Task CrdFromManifest_ServesCustomObjects_CreateGetListPatch()
    {
        var names = Sandbox.RegisterCustomResourceDefinition(Manifests.SecretProviderClass);
        Assert.Equal(["secretproviderclasses.secrets-store.csi.x-k8s.io"], names);

        var created = AsJson(await Client.CustomObjects.CreateNamespacedCustomObjectAsync(Spc("vault-db"), SpcGroup, "v1", "default", "secretproviderclasses"));
        await Client.CustomObjects.CreateNamespacedCustomObjectAsync(Spc("azure-kv", "azure"), SpcGroup, "v1", "default", "secretproviderclasses");
        Assert.Equal(1, created["metadata"]!["generation"]!.GetValue<int>());

        var read = AsJson(await Client.CustomObjects.GetNamespacedCustomObjectAsync(SpcGroup, "v1", "default", "secretproviderclasses", "vault-db"));
        Assert.Equal("vault", read["spec"]!["provider"]!.GetValue<string>());

        var list = AsJson(await Client.CustomObjects.ListNamespacedCustomObjectAsync(SpcGroup, "v1", "default", "secretproviderclasses"));
        Assert.Equal("SecretProviderClassList", list["kind"]!.GetValue<string>());
        Assert.Equal(["azure-kv", "vault-db"], list["items"]!.AsArray().Select(i => i!["metadata"]!["name"]!.GetValue<string>()).ToArray());

        var patch = new V1Patch("""{"spec":{"parameters":{"roleName":"other"}}}""", V1Patch.PatchType.MergePatch);
        var patched = AsJson(await Client.CustomObjects.PatchNamespacedCustomObjectAsync(patch, SpcGroup, "v1", "default", "secretproviderclasses", "vault-db"));
        Assert.Equal("other", patched["spec"]!["parameters"]!["roleName"]!.GetValue<string>());
        Assert.Equal("- objectName: db", patched["spec"]!["parameters"]!["objects"]!.GetValue<string>());
        Assert.Equal(2, patched["metadata"]!["generation"]!.GetValue<int>());

        var alpha = AsJson(await Client.CustomObjects.GetNamespacedCustomObjectAsync(SpcGroup, "v1alpha1", "default", "secretproviderclasses", "vault-db"));
        Assert.Equal(SpcGroup + "/v1alpha1", alpha["apiVersion"]!.GetValue<string>());
    }

    [Fact]
    public async Task CrdCreatedOverTheApi_IsEstablished_AndListedInDiscovery()
    {
        var crd = KubernetesYaml.Deserialize<V1CustomResourceDefinition>(Manifests.Widget);

        var created = await Client.ApiextensionsV1.CreateCustomResourceDefinitionAsync(crd);

        Assert.Contains(created.Status.Conditions, c => c.Type == "Established" && c.Status == "True");
        Assert.Equal(["v1"], created.Status.StoredVersions.ToArray());
        var groups = await Client.Apis.GetAPIVersionsAsync();
        Assert.Contains(groups.Groups, g => g.Name == "example.com" && g.PreferredVersion.Version == "v1");
        var widget = AsJson(await Client.CustomObjects.CreateNamespacedCustomObjectAsync(
            Widget("w1", new JsonObject { ["color"] = "red", ["size"] = 2 }), "example.com", "v1", "default", "widgets"));
        Assert.Equal("Widget", widget["kind"]!.GetValue<string>());
    }

    [Fact]
    public async Task SchemaViolations_Answer422Invalid_WithOneCausePerField()
    {
        Sandbox.RegisterCustomResourceDefinition(Manifests.Widget);
        var bad = Widget("w1", new JsonObject { ["color"] = "purple", ["size"] = "big", ["label"] = "x" });

        var (error, status) = await ExpectApiErrorAsync(() => Client.CustomObjects.CreateNamespacedCustomObjectAsync(bad, "example.com", "v1", "default", "widgets"));

        Assert.Equal(HttpStatusCode.UnprocessableEntity, error.Response.StatusCode);
        Assert.Equal("Invalid", status["reason"]!.GetValue<string>());
        var message = status["message"]!.GetValue<string>();
        Assert.StartsWith("Widget.example.com \"w1\" is invalid: [", message, StringComparison.Ordinal);
        Assert.Contains("spec.color: Unsupported value: \"purple\": supported values: \"red\", \"green\", \"blue\"", message, StringComparison.Ordinal);
        Assert.Contains("spec.size: Invalid value: \"string\": spec.size in body must be of type integer: \"string\"", message, StringComparison.Ordinal);
        Assert.Contains("spec.label: Invalid value: \"x\": spec.label in body should be at least 3 chars long", message, StringComparison.Ordinal);
        var causes = status["details"]!["causes"]!.AsArray().Select(c => c!["field"]!.GetValue<string>()).ToArray();
        Assert.Equal(["spec.color", "spec.size", "spec.label"], causes);
    }

    [Fact]
    public async Task MissingRequiredField_And_OutOfRange_AreRejected()
    {
        Sandbox.RegisterCustomResourceDefinition(Manifests.Widget);

        var (_, missing) = await ExpectApiErrorAsync(() => Client.CustomObjects.CreateNamespacedCustomObjectAsync(
            Widget("w1", new JsonObject { ["color"] = "red" }), "example.com", "v1", "default", "widgets"));
        var (_, range) = await ExpectApiErrorAsync(() => Client.CustomObjects.CreateNamespacedCustomObjectAsync(
            Widget("w2", new JsonObject { ["color"] = "red", ["size"] = 11 }), "example.com", "v1", "default", "widgets"));

        Assert.Equal("Widget.example.com \"w1\" is invalid: spec.size: Required value", missing["message"]!.GetValue<string>());
        Assert.Contains("should be less than or equal to 10", range["message"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ValidObject_GetsDefaults_UnknownFieldsPruned_StatusDroppedOnCreate()
    {
        Sandbox.RegisterCustomResourceDefinition(Manifests.Widget);
        var widget = Widget("w1", new JsonObject { ["color"] = "red", ["size"] = 3, ["bogus"] = true });
        widget["status"] = new JsonObject { ["ready"] = true };

        var created = AsJson(await Client.CustomObjects.CreateNamespacedCustomObjectAsync(widget, "example.com", "v1", "default", "widgets"));

        Assert.Equal("fast", created["spec"]!["mode"]!.GetValue<string>());
        Assert.False(created["spec"]!.AsObject().ContainsKey("bogus"));
        Assert.Null(created["status"]);

        var strict = Widget("w2", new JsonObject { ["color"] = "red", ["size"] = 3, ["bogus"] = true });
        var (error, _) = await ExpectApiErrorAsync(() => Client.CustomObjects.CreateNamespacedCustomObjectAsync(strict, "example.com", "v1", "default", "widgets", fieldValidation: "Strict"));
        Assert.Equal(HttpStatusCode.BadRequest, error.Response.StatusCode);
    }

    [Fact]
    public async Task StatusSubresource_And_SelectableFields_Work()
    {
        Sandbox.RegisterCustomResourceDefinition(Manifests.Widget);
        await Client.CustomObjects.CreateNamespacedCustomObjectAsync(Widget("w1", new JsonObject { ["color"] = "red", ["size"] = 1 }), "example.com", "v1", "default", "widgets");
        await Client.CustomObjects.CreateNamespacedCustomObjectAsync(Widget("w2", new JsonObject { ["color"] = "blue", ["size"] = 1 }), "example.com", "v1", "default", "widgets");

        var status = new V1Patch("""{"status":{"ready":true},"spec":{"color":"green"}}""", V1Patch.PatchType.MergePatch);
        var patched = AsJson(await Client.CustomObjects.PatchNamespacedCustomObjectStatusAsync(status, "example.com", "v1", "default", "widgets", "w1"));
        Assert.True(patched["status"]!["ready"]!.GetValue<bool>());
        Assert.Equal("red", patched["spec"]!["color"]!.GetValue<string>());
        Assert.Equal(1, patched["metadata"]!["generation"]!.GetValue<int>());

        var blue = AsJson(await Client.CustomObjects.ListNamespacedCustomObjectAsync("example.com", "v1", "default", "widgets", fieldSelector: "spec.color=blue"));
        Assert.Equal("w2", blue["items"]!.AsArray().Single()!["metadata"]!["name"]!.GetValue<string>());
    }

    [Fact]
    public async Task CustomObjects_RejectStrategicMergePatch_And_UnconditionalUpdate()
    {
        Sandbox.RegisterCustomResourceDefinition(Manifests.SecretProviderClass);
        await Client.CustomObjects.CreateNamespacedCustomObjectAsync(Spc("vault-db"), SpcGroup, "v1", "default", "secretproviderclasses");

        var smp = new V1Patch("""{"spec":{"provider":"x"}}""", V1Patch.PatchType.StrategicMergePatch);
        var (unsupported, _) = await ExpectApiErrorAsync(() => Client.CustomObjects.PatchNamespacedCustomObjectAsync(smp, SpcGroup, "v1", "default", "secretproviderclasses", "vault-db"));
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, unsupported.Response.StatusCode);

        var (invalid, status) = await ExpectApiErrorAsync(() => Client.CustomObjects.ReplaceNamespacedCustomObjectAsync(Spc("vault-db", "gcp"), SpcGroup, "v1", "default", "secretproviderclasses", "vault-db"));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, invalid.Response.StatusCode);
        Assert.Contains("metadata.resourceVersion", status["message"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task DeletingTheCrd_RemovesItsObjects_AndStopsServingIt()
    {
        Sandbox.RegisterCustomResourceDefinition(Manifests.SecretProviderClass);
        await Client.CustomObjects.CreateNamespacedCustomObjectAsync(Spc("vault-db"), SpcGroup, "v1", "default", "secretproviderclasses");

        await Client.ApiextensionsV1.DeleteCustomResourceDefinitionAsync("secretproviderclasses.secrets-store.csi.x-k8s.io");

        var (error, _) = await ExpectApiErrorAsync(() => Client.CustomObjects.ListNamespacedCustomObjectAsync(SpcGroup, "v1", "default", "secretproviderclasses"));
        Assert.Equal(HttpStatusCode.NotFound, error.Response.StatusCode);
    }

    [Fact]
    public async Task CustomObjects_CanBeSeededInBulk_AndListedAcrossNamespaces()
    {
        Sandbox.RegisterCustomResourceDefinition(Manifests.SecretProviderClass);
        Sandbox.SeedMany(Enumerable.Range(0, 50).Select(i =>
        {
            var spc = Spc($"spc-{i:D3}");
            spc["metadata"]!["namespace"] = i % 2 == 0 ? "default" : "team";
            return spc;
        }));

        var all = AsJson(await Client.CustomObjects.ListCustomObjectForAllNamespacesAsync(SpcGroup, "v1", "secretproviderclasses"));
        var team = AsJson(await Client.CustomObjects.ListNamespacedCustomObjectAsync(SpcGroup, "v1", "team", "secretproviderclasses"));

        Assert.Equal(50, all["items"]!.AsArray().Count);
        Assert.Equal(25, team["items"]!.AsArray().Count);
    }
}
