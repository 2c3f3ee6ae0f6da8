using Csi.Kubernetes;
using Grpc.Core;
using Microsoft.Extensions.Logging.Abstractions;
using SecretsStore.Driver.CsiServices;
using SecretsStore.Driver.Publishing;
using SecretsStore.Driver.SecretProviderClasses;
using SecretsStore.Driver.Tests.Unit;

namespace SecretsStore.Driver.Tests.Kubernetes;

/// <summary>The node-scoped SecretProviderClass cache against the API sandbox: what it fetches, keeps and drops.</summary>
public sealed class KubernetesSecretProviderClassSourceTests : IAsyncLifetime
{
    private static readonly TimeSpan Staleness = TimeSpan.FromMinutes(1);

    private readonly ManualTimeProvider _time = new();
    private SandboxCluster _cluster = null!;
    private KubernetesApiClient _api = null!;
    private KubernetesSecretProviderClassSource _source = null!;

    public async Task InitializeAsync()
    {
        _cluster = await SandboxCluster.StartAsync();
        _api = _cluster.NewClient();
        _source = new KubernetesSecretProviderClassSource(_api, NullLogger<KubernetesSecretProviderClassSource>.Instance, _time, Staleness);
    }

    public async Task DisposeAsync()
    {
        _api.Dispose();
        await _cluster.DisposeAsync();
    }

    private int Gets(string name) => _cluster.Sandbox.CountRequests(verb: "get", resource: "secretproviderclasses", name: name);

    [Fact]
    public async Task Get_FetchesOnDemand_AndServesRepeatsFromTheCacheWhileFresh()
    {
        _cluster.SeedClass("db", "apps", provider: "vault");

        var first = await _source.GetAsync("apps", "db", default);
        _time.Advance(TimeSpan.FromSeconds(30));
        var second = await _source.GetAsync("apps", "db", default);

        Assert.Equal(("apps/db", "vault"), (first!.QualifiedName, first.Provider));
        Assert.Same(first, second);
        Assert.Equal(1, Gets("db"));
        Assert.Equal(0, _cluster.Sandbox.CountRequests(verb: "list"));
        Assert.Equal(0, _cluster.Sandbox.CountRequests(verb: "watch"));
    }

    [Fact]
    public async Task Get_WhenStale_FetchesAgain_AndSeesAnEdit()
    {
        _cluster.SeedClass("db", "apps", provider: "vault");
        _source.Retain("/t/1", "apps", "db");
        await _source.GetAsync("apps", "db", default);
        _cluster.SeedClass("db", "apps", provider: "azure");

        _time.Advance(Staleness);
        var refreshed = await _source.GetAsync("apps", "db", default);

        Assert.Equal("azure", refreshed!.Provider);
        Assert.Equal(2, Gets("db"));
    }

    [Fact]
    public async Task Get_Missing_IsNotCached_SoALaterClassIsFound()
    {
        Assert.Null(await _source.GetAsync("apps", "late", default));
        Assert.Empty(_source.CachedKeys);

        _cluster.SeedClass("late", "apps");

        Assert.NotNull(await _source.GetAsync("apps", "late", default));
        Assert.Equal(2, Gets("late"));
    }

    [Fact]
    public async Task Release_OfTheLastVolume_EvictsTheClass()
    {
        _cluster.SeedClass("db", "apps");
        await _source.GetAsync("apps", "db", default);
        _source.Retain("/t/1", "apps", "db");
        _source.Retain("/t/2", "apps", "db");

        _source.Release("/t/1");
        Assert.Equal(["apps/db"], _source.CachedKeys);

        _source.Release("/t/2");
        Assert.Empty(_source.CachedKeys);
    }

    [Fact]
    public async Task Get_WithoutAVolume_IsDroppedOnceStale()
    {
        _cluster.SeedClass("used", "apps");
        _cluster.SeedClass("abandoned", "apps");
        await _source.GetAsync("apps", "used", default);
        _source.Retain("/t/1", "apps", "used");
        await _source.GetAsync("apps", "abandoned", default);

        _time.Advance(Staleness);
        _cluster.SeedClass("other", "apps");
        await _source.GetAsync("apps", "other", default);

        Assert.Equal(["apps/other", "apps/used"], _source.CachedKeys);
    }

    [Fact]
    public async Task Get_OnlyFetchesWhatIsAsked_NotTheWholeCluster()
    {
        _cluster.SeedClass("db", "apps");
        for (var i = 0; i < 20; i++)
        {
            _cluster.SeedClass("class-" + i, "ns-" + i);
        }

        await _source.GetAsync("apps", "db", default);

        Assert.Equal(["apps/db"], _source.CachedKeys);
        Assert.Equal(1, _cluster.Sandbox.CountRequests(resource: "secretproviderclasses"));
    }

    [Fact]
    public async Task Get_Concurrent_ShareOneRequest()
    {
        _cluster.SeedClass("db", "apps");
        _cluster.Sandbox.DelayNextRequests(1, TimeSpan.FromMilliseconds(300), verb: "get", resource: "secretproviderclasses");

        var all = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => _source.GetAsync("apps", "db", default).AsTask()));

        Assert.All(all, spc => Assert.Equal("apps/db", spc!.QualifiedName));
        Assert.Equal(1, Gets("db"));
    }

    [Fact]
    public async Task Get_ApiFailure_IsUnavailable_WithAClearMessage()
    {
        _cluster.SeedClass("db", "apps");
        _cluster.Sandbox.FailNextRequests(1, 500, verb: "get", resource: "secretproviderclasses");

        var error = await Assert.ThrowsAsync<SecretsStoreException>(() => _source.GetAsync("apps", "db", default).AsTask());

        Assert.Equal(ErrorReason.KubernetesApiError, error.Reason);
        Assert.Equal(StatusCode.Unavailable, ErrorStatus.ToStatusCode(error));
        Assert.StartsWith("could not read SecretProviderClass db in namespace apps from the Kubernetes API: get secretproviderclasses.secrets-store.csi.x-k8s.io apps/db: 500 InternalError", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(_cluster.Sandbox.Token, error.Message, StringComparison.Ordinal);
        Assert.Empty(_source.CachedKeys);
        Assert.NotNull(await _source.GetAsync("apps", "db", default));
    }

    [Fact]
    public async Task Get_V1Alpha1Object_IsReadThroughV1()
    {
        _cluster.SeedClass("old", "apps", provider: "azure", version: "v1alpha1");

        var spc = await _source.GetAsync("apps", "old", default);

        Assert.Equal("azure", spc!.Provider);
        Assert.Equal("- objectName: a", spc.Parameters["objects"]);
    }
}
