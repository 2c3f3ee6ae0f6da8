using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using SecretsStore.Driver.ServiceAccountTokens;
using SecretsStore.Driver.Tests.Kubernetes;

namespace SecretsStore.Driver.Tests.Functional;

/// <summary>
/// The reconciler's service-account tokens against the Kubernetes API sandbox: requested once per audience and
/// reused rotation after rotation until 80% of their lifetime, as kubelet does, then requested again; dropped when
/// the pod's volume is unpublished. The driver and the sandbox share a manual clock; the test
/// runs the passes itself (the reconciler's own timer is off, so that a long step of the clock starts none).
/// </summary>
public sealed class ServiceAccountTokenCachingTests
{
    private const string PodUid = "0b6c1c2e-1111-4222-8333-444455556666";
    private static readonly TimeSpan Due = TimeSpan.FromSeconds(70);

    [Fact]
    public async Task Reconcile_ReusesTokensUntil80PercentOfTheirLifetime_ThenRequestsNewOnes_AndForgetsThemOnUnpublish()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var cluster = await SandboxCluster.StartAsync(time);
        cluster.SeedPod("web", PodUid);
        cluster.SeedTokenRequests(("vault", 3600), ("aws", 3600));
        cluster.SeedClass("spc", provider: DriverHarness.ProviderName);
        await using var h = await DriverHarness.StartWithClockAsync(time, cluster.KubeconfigPath, "--enable-secret-rotation", "--rotation-poll-interval=2m", "--rotation-reconciler=false");
        h.ServeFiles(("a", "1"));
        var target = h.NewTarget();
        await h.PublishAsync(DriverHarness.PublishRequest(target, podUid: PodUid));
        int TokenRequests() => cluster.Sandbox.CountRequests(verb: "create", resource: "serviceaccounts", subresource: "token", @namespace: "default", name: "web-sa");
        async Task<int> FetchedAfterAsync(TimeSpan step)
        {
            time.Advance(step);
            return (await h.Reconciler.RunOnceAsync()).Fetched;
        }

        Assert.Equal(1, await FetchedAfterAsync(Due));
        Assert.Equal(2, TokenRequests());
        var first = VaultToken(h);

        // Two rotations later, still well inside 80% of the hour: the same tokens, no request.
        Assert.Equal(1, await FetchedAfterAsync(Due));
        Assert.Equal(1, await FetchedAfterAsync(Due));
        Assert.Equal(2, TokenRequests());
        Assert.Equal(first, VaultToken(h));

        // Past 48 of the 60 minutes: new tokens.
        Assert.Equal(1, await FetchedAfterAsync(TimeSpan.FromMinutes(50)));
        Assert.Equal(4, TokenRequests());
        var second = VaultToken(h);
        Assert.NotEqual(first, second);
        Assert.DoesNotContain(h.Logs.Lines, l => l.Contains(first, StringComparison.Ordinal) || l.Contains(second, StringComparison.Ordinal));

        var source = (KubernetesServiceAccountTokenSource)h.Services.GetRequiredService<IServiceAccountTokenSource>();
        Assert.Equal(2, source.Cache.Count);
        await h.UnpublishAsync(target);
        Assert.Equal(0, source.Cache.Count);
    }

    private static string VaultToken(DriverHarness h)
    {
        using var attributes = JsonDocument.Parse(h.ProviderService.Requests.Last().Attributes);
        using var tokens = JsonDocument.Parse(attributes.RootElement.GetProperty("csi.storage.k8s.io/serviceAccount.tokens").GetString()!);
        return tokens.RootElement.GetProperty("vault").GetProperty("token").GetString()!;
    }
}
