using Csi.Common.RateLimiting;
using Csi.Kubernetes;
using SecretsStore.Driver.Kubernetes;

namespace SecretsStore.Driver.Tests.Kubernetes;

/// <summary>The driver's REST client against the API sandbox over TLS: auth, errors, watch.</summary>
public sealed class KubernetesApiClientTests : IAsyncLifetime
{
    private SandboxCluster _cluster = null!;

    public async Task InitializeAsync() => _cluster = await SandboxCluster.StartAsync();

    public async Task DisposeAsync() => await _cluster.DisposeAsync();

    [Fact]
    public async Task TokenFile_RotatedByKubelet_IsReadAgainAfterA401()
    {
        var dir = Path.GetDirectoryName(_cluster.KubeconfigPath)!;
        var tokenFile = Path.Combine(dir, "token");
        _cluster.Sandbox.AddToken("token-1", "system:serviceaccount:kube-system:secrets-store-csi-driver");
        await File.WriteAllTextAsync(tokenFile, "token-1");
        var kubeconfig = Path.Combine(dir, "kubeconfig-tokenfile");
        await File.WriteAllTextAsync(kubeconfig, _cluster.Sandbox.Kubeconfig().Replace("token: " + _cluster.Sandbox.Token, "tokenFile: token", StringComparison.Ordinal));
        using var api = new KubernetesApiClient(KubernetesConnection.FromKubeconfig(kubeconfig), new TokenBucket(100, 100, TimeProvider.System), "tests/0");
        _cluster.SeedClass("db");
        Assert.NotNull(await api.GetAsync(SecretsStoreResources.SecretProviderClassesV1, "default", "db", SecretsStoreJsonContext.Default.SecretProviderClassResource, default));

        _cluster.Sandbox.AddToken("token-2", "system:serviceaccount:kube-system:secrets-store-csi-driver");
        _cluster.Sandbox.RevokeToken("token-1");
        await File.WriteAllTextAsync(tokenFile, "token-2");

        Assert.NotNull(await api.GetAsync(SecretsStoreResources.SecretProviderClassesV1, "default", "db", SecretsStoreJsonContext.Default.SecretProviderClassResource, default));
        Assert.Equal(1, _cluster.Sandbox.CountRequests(statusCode: 401));
    }

    [Fact]
    public async Task Unreachable_Server_IsStatusZero_WithTheAddress()
    {
        using var api = _cluster.NewClient();
        await _cluster.Sandbox.StopAcceptingConnectionsAsync();

        var error = await Assert.ThrowsAsync<KubernetesApiException>(() => api.GetAsync(SecretsStoreResources.SecretProviderClassesV1, "default", "db", SecretsStoreJsonContext.Default.SecretProviderClassResource, default));

        Assert.Equal((0, "Unreachable"), (error.StatusCode, error.Reason));
        Assert.Contains(_cluster.Sandbox.Address.Authority, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ListThenWatch_FromTheListsVersion_SeesLaterChanges_AndAnExpiredVersionIsGone()
    {
        using var api = _cluster.NewClient();
        _cluster.SeedClass("a");
        var list = await api.ListAsync(SecretsStoreResources.SecretProviderClassesV1, "default", null, null, TestJsonContext.Default.ResourceListSecretProviderClassResource, default);
        Assert.Equal("a", Assert.Single(list.Items).Metadata.Name);

        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        var watch = api.WatchAsync(SecretsStoreResources.SecretProviderClassesV1, "default", list.Metadata!.ResourceVersion, null, null, TimeSpan.FromSeconds(30), SecretsStoreJsonContext.Default.SecretProviderClassResource, cts.Token)
            .GetAsyncEnumerator(cts.Token);
        var next = watch.MoveNextAsync().AsTask();
        await _cluster.Sandbox.WaitForWatchesAsync(1, "secretproviderclasses");
        _cluster.SeedClass("b");

        Assert.True(await next);
        Assert.Equal(("ADDED", "b"), (watch.Current.Type, watch.Current.Item.Metadata.Name));
        await watch.DisposeAsync();

        _cluster.Sandbox.CompactWatchCache();
        var gone = await Assert.ThrowsAsync<KubernetesApiException>(async () =>
        {
            await foreach (var _ in api.WatchAsync(SecretsStoreResources.SecretProviderClassesV1, "default", "1", null, null, TimeSpan.FromSeconds(5), SecretsStoreJsonContext.Default.SecretProviderClassResource, cts.Token))
            {
            }
        });
        Assert.True(gone.IsGone);
    }
}
