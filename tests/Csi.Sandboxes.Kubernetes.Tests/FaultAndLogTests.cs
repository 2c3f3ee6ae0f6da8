using System.Net;
using k8s;
using k8s.Autorest;

namespace Csi.Sandboxes.Kubernetes.Tests;

public sealed class FaultAndLogTests : SandboxTestBase
{
    [Fact]
    public async Task Injected429_CarriesRetryAfter_ThenRequestsSucceedAgain()
    {
        Sandbox.FailNextRequests(2, 429, verb: "list", resource: "pods", retryAfter: TimeSpan.FromSeconds(3));

        var (first, status) = await ExpectApiErrorAsync(() => Client.CoreV1.ListNamespacedPodAsync("default"));
        await ExpectApiErrorAsync(() => Client.CoreV1.ListNamespacedPodAsync("default"));
        await Client.CoreV1.ListNamespacedPodAsync("default");

        Assert.Equal(HttpStatusCode.TooManyRequests, first.Response.StatusCode);
        Assert.Equal("3", first.Response.Headers["Retry-After"].Single());
        Assert.Equal("TooManyRequests", status["reason"]!.GetValue<string>());
        Assert.Equal(3, status["details"]!["retryAfterSeconds"]!.GetValue<int>());
        Assert.Equal(2, Sandbox.CountRequests(verb: "list", resource: "pods", statusCode: 429));
        Assert.Equal(1, Sandbox.CountRequests(verb: "list", resource: "pods", statusCode: 200));
    }

    [Fact]
    public async Task Injected403_LooksLikeAnRbacDenial()
    {
        Sandbox.FailNextRequests(1, 403, verb: "create", resource: "secrets", @namespace: "default");

        var (error, status) = await ExpectApiErrorAsync(() => Client.CoreV1.CreateNamespacedSecretAsync(Secret("db"), "default"));

        Assert.Equal(HttpStatusCode.Forbidden, error.Response.StatusCode);
        Assert.Equal("Forbidden", status["reason"]!.GetValue<string>());
        Assert.Equal(
            $"secrets is forbidden: User \"{Sandbox.UserName}\" cannot create resource \"secrets\" in API group \"\" in the namespace \"default\"",
            status["message"]!.GetValue<string>());
        Assert.Equal("secrets", status["details"]!["kind"]!.GetValue<string>());
    }

    [Fact]
    public async Task Injected500_OnlyHitsTheMatchingVerb()
    {
        Sandbox.FailNextRequests(1, 500, verb: "get", resource: "secrets");
        await Client.CoreV1.CreateNamespacedSecretAsync(Secret("db"), "default");

        var (error, status) = await ExpectApiErrorAsync(() => Client.CoreV1.ReadNamespacedSecretAsync("db", "default"));
        var read = await Client.CoreV1.ReadNamespacedSecretAsync("db", "default");

        Assert.Equal(HttpStatusCode.InternalServerError, error.Response.StatusCode);
        Assert.Equal("InternalError", status["reason"]!.GetValue<string>());
        Assert.Equal("db", read.Metadata.Name);
        Assert.Single(Sandbox.RequestLog, e => e.Injected);
    }

    [Fact]
    public async Task RequestLog_RecordsVerbResourceNamespaceNameAndUserAgent()
    {
        await Client.CoreV1.CreateNamespacedSecretAsync(Secret("db"), "default");
        await Client.CoreV1.ReadNamespacedSecretAsync("db", "default");
        await Client.CoreV1.ListSecretForAllNamespacesAsync(labelSelector: "a=b");
        await Client.StorageV1.ListCSIDriverAsync();

        var log = Sandbox.RequestLog;
        Assert.Equal(["create", "get", "list", "list"], log.Select(e => e.Verb).ToArray());
        Assert.Equal(["secrets", "secrets", "secrets", "csidrivers"], log.Select(e => e.Resource ?? string.Empty).ToArray());
        Assert.Equal("db", log[1].Name);
        Assert.Equal("default", log[1].Namespace);
        Assert.Null(log[2].Namespace);
        Assert.Contains("labelSelector=a%3Db", log[2].Query, StringComparison.Ordinal);
        Assert.Equal("storage.k8s.io", log[3].Group);
        Assert.All(log, e => Assert.Equal(Sandbox.UserName, e.User));
        Assert.Equal(1, Sandbox.CountRequests(verb: "get", resource: "secrets", name: "db"));
    }

    [Fact]
    public async Task MaxRequestsInWindow_MeasuresBursts()
    {
        for (var i = 0; i < 5; i++)
        {
            await Client.CoreV1.ListNamespacedPodAsync("default");
        }

        Assert.Equal(5, Sandbox.MaxRequestsInWindow(TimeSpan.FromMinutes(1), e => e.Verb == "list"));
        Assert.Equal(0, Sandbox.MaxRequestsInWindow(TimeSpan.FromMinutes(1), e => e.Verb == "watch"));
    }

    [Fact]
    public async Task DelayNextRequests_SlowsOnlyMatchingRequests()
    {
        Sandbox.DelayNextRequests(1, TimeSpan.FromMilliseconds(300), verb: "list", resource: "pods");

        var clock = System.Diagnostics.Stopwatch.StartNew();
        await Client.CoreV1.ListNamespacedPodAsync("default");
        var slow = clock.Elapsed;

        Assert.True(slow >= TimeSpan.FromMilliseconds(280), slow.ToString());
    }

    [Fact]
    public async Task DroppedConnections_SurfaceAsTransportErrors()
    {
        Sandbox.DropConnections = true;
        var error = await Assert.ThrowsAnyAsync<Exception>(() => Client.CoreV1.ListNamespacedPodAsync("default"));
        Sandbox.DropConnections = false;

        Assert.IsNotType<HttpOperationException>(error);
        Assert.True(error is HttpRequestException or IOException or System.Net.Sockets.SocketException, error.GetType().Name);
        using var fresh = new k8s.Kubernetes(Sandbox.ClientConfiguration());
        await fresh.CoreV1.ListNamespacedPodAsync("default");
    }
}
