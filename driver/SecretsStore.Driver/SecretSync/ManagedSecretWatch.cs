using Csi.Common.Hosting;
using Csi.Kubernetes;
using Csi.Kubernetes.Informers;
using Csi.Kubernetes.Models;
using Csi.Kubernetes.Queues;
using SecretsStore.Driver.Diagnostics;

namespace SecretsStore.Driver.SecretSync;

/// <summary>
/// Watches Secrets labelled secrets-store.csi.k8s.io/managed=true, cluster-wide by that label (one list and one
/// long watch per node, however many namespaces its volumes are in; metadata is all it keeps), and only while a
/// volume on this node declares a Secret. A Secret a mounted volume still needs that is deleted, or that a list
/// lacks, is written again from the mounted files. The list, the watch (resumed from the last resourceVersion,
/// relisted on 410 Gone, backed off with jitter) are the shared informer's; requests go through the client's
/// --kube-api-qps/burst limit. Restores run one at a time off the informer's loop.
/// </summary>
public sealed class ManagedSecretWatch : BackgroundLoop
{
    public const string LabelSelector = SyncedSecretBuilder.ManagedLabel + "=true";

    private static readonly TimeSpan InitialBackoff = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan MaxBackoff = TimeSpan.FromSeconds(30);

    private readonly KubernetesApiClient _api;
    private readonly KubernetesSecretSync _sync;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly TimeSpan _watchTimeout;
    private readonly WorkQueue<(string Namespace, string Name)> _restores;
    private Informer<ObjectMetadataResource>? _informer;

    public ManagedSecretWatch(KubernetesApiClient api, KubernetesSecretSync sync, ILogger<ManagedSecretWatch> logger, TimeProvider time, TimeSpan? watchTimeout = null)
    {
        _api = api;
        _sync = sync;
        _logger = logger;
        _time = time;
        _watchTimeout = watchTimeout ?? TimeSpan.FromMinutes(5);
        _restores = new WorkQueue<(string, string)>("managed-secrets", InitialBackoff, MaxBackoff, time);
    }

    /// <summary>The resourceVersion the next watch resumes from; null means list first (or no volume needs a Secret).</summary>
    public string? ResourceVersion => Volatile.Read(ref _informer)?.LastResourceVersion;

    protected override async Task RunAsync(CancellationToken stoppingToken)
    {
        var restoring = Task.Run(() => RestoreAsync(stoppingToken), CancellationToken.None);
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                if (_sync.NeededSecrets().Count == 0)
                {
                    await _sync.WaitForNeedsChangeAsync(stoppingToken).ConfigureAwait(false);
                    continue;
                }
                await using var informer = NewInformer();
                Volatile.Write(ref _informer, informer);
                informer.Start();
                while (_sync.NeededSecrets().Count > 0)
                {
                    await _sync.WaitForNeedsChangeAsync(stoppingToken).ConfigureAwait(false);
                }
                Volatile.Write(ref _informer, null);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // stopped
        }
        finally
        {
            _restores.ShutDown();
            await restoring.ConfigureAwait(false);
        }
    }

    private Informer<ObjectMetadataResource> NewInformer()
    {
        var options = new InformerOptions { LabelSelector = LabelSelector, MinWatchTimeout = _watchTimeout, BackoffInitial = InitialBackoff, BackoffMax = MaxBackoff };
        var informer = new Informer<ObjectMetadataResource>(
            _api, ApiResource.Secrets, options, KubernetesJsonContext.Default.ObjectMetadataResource, KubernetesJsonContext.Default.ResourceListObjectMetadataResource, _logger, _time);
        informer.AddHandler(null, null, Deleted);
        informer.AddListHandler(() => Listed(informer));
        informer.SetWatchErrorHandler(error =>
        {
            if (error.Gone)
            {
                DriverLog.SecretWatchExpired(_logger, error.ResourceVersion ?? string.Empty);
            }
            else
            {
                DriverLog.SecretWatchFailed(_logger, error.Error.Message, (long)error.Delay.TotalMilliseconds);
            }
        });
        return informer;
    }

    private void Deleted(ObjectMetadataResource secret)
    {
        if (secret.Metadata is { Namespace: { } ns, Name: { } name } && _sync.NeededSecrets().Contains((ns, name)))
        {
            DriverLog.SecretDeletedWhileNeeded(_logger, ns, name);
            _restores.Add((ns, name));
        }
    }

    /// <summary>After every list: what the volumes need and the list lacks (deleted while no watch was open) is restored.</summary>
    private void Listed(Informer<ObjectMetadataResource> informer)
    {
        var listed = informer.List();
        DriverLog.SecretWatchListed(_logger, listed.Count, informer.LastResourceVersion ?? string.Empty);
        foreach (var (ns, name) in _sync.NeededSecrets().Where(n => informer.Get(n.Namespace, n.Name) is null))
        {
            _restores.Add((ns, name));
        }
    }

    private async Task RestoreAsync(CancellationToken stoppingToken)
    {
        while (true)
        {
            WorkItem<(string Namespace, string Name)> item;
            try
            {
                item = await _restores.GetAsync(stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            if (item.ShutDown)
            {
                return;
            }
            try
            {
                await _sync.RestoreAsync(item.Key.Namespace, item.Key.Name, stoppingToken).ConfigureAwait(false);
                _restores.Forget(item.Key);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is KubernetesApiException or IOException or HttpRequestException)
            {
                DriverLog.SecretSyncFailed(_logger, item.Key.Namespace, item.Key.Name, "(restore)", e.Message);
                _restores.AddRateLimited(item.Key);
            }
            finally
            {
                _restores.Done(item.Key);
            }
        }
    }
}
