using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace Csi.Kubernetes.Tests;

public sealed partial class KubernetesApiClientTests
{
    [Fact]
    public async Task CreateSubresource_TokenRequest_PostsToTheServiceAccountsTokenPath()
    {
        await using var api = await SandboxApi.StartAsync();
        api.Sandbox.Seed(new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "ServiceAccount",
            ["metadata"] = new JsonObject { ["name"] = "builder", ["namespace"] = "default" },
        });
        var client = api.NewClient();
        api.Sandbox.ClearRequestLog();

        var answer = await client.CreateSubresourceAsync(ApiResource.ServiceAccounts, "default", "builder", "token", TokenRequest("vault"), TestJson.Default.JsonObject, CancellationToken.None);

        Assert.False(string.IsNullOrEmpty(answer["status"]?["token"]?.GetValue<string>()));
        var request = Assert.Single(api.Sandbox.RequestLog);
        Assert.Equal(("create", "POST", "/api/v1/namespaces/default/serviceaccounts/builder/token"), (request.Verb, request.Method, request.Path));
        Assert.Equal(("serviceaccounts", "token", "builder", 201), (request.Resource, request.Subresource, request.Name, request.StatusCode));
    }

    [Fact]
    public async Task CreateSubresource_OfAMissingObject_Throws404_NamingTheSubresource()
    {
        await using var api = await SandboxApi.StartAsync();
        var client = api.NewClient();

        var e = await Assert.ThrowsAsync<KubernetesApiException>(() => client.CreateSubresourceAsync(ApiResource.ServiceAccounts, "default", "nobody", "token", TokenRequest("vault"), TestJson.Default.JsonObject, CancellationToken.None));

        Assert.Equal(404, e.StatusCode);
        Assert.StartsWith("create serviceaccounts default/nobody token: 404", e.Message, StringComparison.Ordinal);
    }

    private static JsonObject TokenRequest(string audience) => new()
    {
        ["apiVersion"] = "authentication.k8s.io/v1",
        ["kind"] = "TokenRequest",
        ["spec"] = new JsonObject { ["audiences"] = new JsonArray(audience), ["expirationSeconds"] = 600 },
    };

    [JsonSerializable(typeof(JsonObject))]
    private sealed partial class TestJson : JsonSerializerContext;
}
