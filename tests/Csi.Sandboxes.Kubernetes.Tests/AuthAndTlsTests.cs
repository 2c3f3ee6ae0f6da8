using System.Net;
using k8s;
using k8s.Autorest;
using k8s.Models;

namespace Csi.Sandboxes.Kubernetes.Tests;

public sealed class AuthAndTlsTests : SandboxTestBase
{
    protected override KubernetesSandboxOptions CreateOptions() => new() { UseTls = true };

    [Fact]
    public async Task OverTls_TheClientTrustsTheSandboxCa()
    {
        Assert.Equal("https", Sandbox.Address.Scheme);
        Assert.NotNull(Sandbox.CertificateAuthority);

        var namespaces = await Client.CoreV1.ListNamespaceAsync();

        Assert.Contains(namespaces.Items, n => n.Metadata.Name == "kube-system");
    }

    [Fact]
    public async Task WithoutAToken_Answers401Unauthorized()
    {
        using var anonymous = new k8s.Kubernetes(Sandbox.ClientConfiguration(token: string.Empty));

        var error = await Assert.ThrowsAsync<HttpOperationException>(() => anonymous.CoreV1.ListNamespacedPodAsync("default"));

        Assert.Equal(HttpStatusCode.Unauthorized, error.Response.StatusCode);
        Assert.Contains("\"reason\":\"Unauthorized\"", error.Response.Content, StringComparison.Ordinal);
        Assert.Equal(1, Sandbox.CountRequests(verb: "list", resource: "pods", statusCode: 401));
    }

    [Fact]
    public async Task WithAWrongToken_Answers401_AndAddedTokensAuthenticateAsTheirUser()
    {
        using var wrong = new k8s.Kubernetes(Sandbox.ClientConfiguration(token: "not-the-token"));
        var error = await Assert.ThrowsAsync<HttpOperationException>(() => wrong.CoreV1.ListNamespacedPodAsync("default"));
        Assert.Equal(HttpStatusCode.Unauthorized, error.Response.StatusCode);

        Sandbox.AddToken("driver-token", "system:serviceaccount:kube-system:secrets-store-csi-driver");
        using var driver = new k8s.Kubernetes(Sandbox.ClientConfiguration(token: "driver-token"));
        await driver.CoreV1.ListNamespacedPodAsync("default");

        Assert.Contains(Sandbox.RequestLog, e => e.User == "system:serviceaccount:kube-system:secrets-store-csi-driver" && e.StatusCode == 200);
    }

    [Fact]
    public async Task ServiceAccountJwts_FromTheSandboxIssuer_Authenticate()
    {
        var jwt = Sandbox.TokenIssuer.Mint("kube-system", "csi-driver", Sandbox.TokenIssuer.Issuer);
        using var sa = new k8s.Kubernetes(Sandbox.ClientConfiguration(token: jwt));

        await sa.CoreV1.ListNodeAsync();

        Assert.Contains(Sandbox.RequestLog, e => e.User == "system:serviceaccount:kube-system:csi-driver");
    }

    [Fact]
    public async Task TokenRequest_MintsAServiceAccountTokenBoundToAPod()
    {
        await Client.CoreV1.CreateNamespacedServiceAccountAsync(new V1ServiceAccount { Metadata = new V1ObjectMeta { Name = "app" } }, "default");
        var pod = await Client.CoreV1.CreateNamespacedPodAsync(Pod("web-0", "node-a"), "default");

        var response = await Client.CoreV1.CreateNamespacedServiceAccountTokenAsync(
            new Authenticationv1TokenRequest
            {
                Spec = new V1TokenRequestSpec
                {
                    Audiences = ["vault"],
                    ExpirationSeconds = 600,
                    BoundObjectRef = new V1BoundObjectReference { Kind = "Pod", ApiVersion = "v1", Name = "web-0", Uid = pod.Metadata.Uid },
                },
            },
            "app",
            "default");

        var validation = Sandbox.TokenIssuer.Validate(response.Status.Token, "vault");
        Assert.True(validation.IsValid, validation.ToString());
        Assert.Equal("app", validation.Claims!.ServiceAccountName);
        Assert.Equal("web-0", validation.Claims.PodName);
        Assert.Equal(pod.Metadata.Uid, validation.Claims.PodUid);
    }

    [Fact]
    public async Task WatchOverTls_StreamsEvents()
    {
        var start = Sandbox.ResourceVersion.ToString();
        await Client.CoreV1.CreateNamespacedPodAsync(Pod("web-0"), "default");

        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await foreach (var (type, pod) in Client.CoreV1.WatchListNamespacedPodAsync("default", resourceVersion: start, cancellationToken: cts.Token))
        {
            Assert.Equal(WatchEventType.Added, type);
            Assert.Equal("web-0", pod.Metadata.Name);
            break;
        }
    }

    [Fact]
    public async Task Kubeconfig_BuildsAWorkingClientConfiguration()
    {
        using var stream = new MemoryStream(System.Text.Encoding.UTF8.GetBytes(Sandbox.Kubeconfig()));
        var config = await KubernetesClientConfiguration.BuildConfigFromConfigFileAsync(stream);
        using var client = new k8s.Kubernetes(config);

        var namespaces = await client.CoreV1.ListNamespaceAsync();

        Assert.Equal("default", config.Namespace);
        Assert.Contains(namespaces.Items, n => n.Metadata.Name == "default");
    }
}
