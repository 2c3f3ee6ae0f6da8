using Csi.Common.Hosting;
using Csi.Kubernetes;
using SecretsStore.Driver.Diagnostics;

namespace SecretsStore.Driver.SecretSync;

/// <summary>
/// Watches Secrets labelled secrets-store.csi.k8s.io/managed=true, cluster-wide by that label (one list and one
/// long watch per node, however many namespaces its volumes are in; metadata is all it keeps), and only while a
/// volume on this node declares a Secret. A DELETED event for a Secret a mounted volume still needs writes it
/// again from the mounted files. Resumes from the last resourceVersion (bookmarks keep it fresh), relists on 410
/// Gone and restores whatever the list lacks, and backs off with jitter on errors. Requests go through the
/// client's --kube-api-qps/burst limit.
/// </summary>
public sealed class ManagedSecretWatch : BackgroundLoop
{
    public const string LabelSelector = SyncedSecretBuilder.ManagedLabel + "=true";

    private static readonly TimeSpan InitialBackoff = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan MaxBackoff = TimeSpan.FromSeconds(30);

    private readonly KubernetesApiClient _api;
    private readonly KubernetesSecretSync _sync;
    private readonly ILogger _logger;
    private readonly TimeSpan _watchTimeout;

    public ManagedSecretWatch(KubernetesApiClient api, KubernetesSecretSync sync, ILogger<ManagedSecretWatch> logger, TimeSpan? watchTimeout = null)
    {
        _api = api;
        _sync = sync;
        _logger = logger;
        _watchTimeout = watchTimeout ?? TimeSpan.FromMinutes(5);
    }

    /// <summary>The resourceVersion the next watch resumes from; null means list first.</summary>
    public string? ResourceVersion { get; private set; }

    protected override async Task RunAsync(CancellationToken stoppingToken)
    {
        var failures = 0;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                if (_sync.NeededSecrets().Count == 0)
                {
                    await _sync.WaitForNeedsChangeAsync(stoppingToken).ConfigureAwait(false);
                    continue;
                }
                if (ResourceVersion is null)
                {
                    await ListAndRestoreAsync(stoppingToken).ConfigureAwait(false);
                }
                await WatchOnceAsync(stoppingToken).ConfigureAwait(false);
                failures = 0;
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (KubernetesApiException e) when (e.IsGone)
            {
                DriverLog.SecretWatchExpired(_logger, ResourceVersion ?? string.Empty);
                ResourceVersion = null;
            }
            catch (Exception e) when (e is KubernetesApiException or IOException or HttpRequestException or OperationCanceledException or System.Text.Json.JsonException)
            {
                failures++;
                var delay = BackgroundLoop.Backoff(failures, InitialBackoff, MaxBackoff);
                if (e is KubernetesApiException { RetryAfterSeconds: > 0 } limited && TimeSpan.FromSeconds(limited.RetryAfterSeconds.Value) > delay)
                {
                    delay = TimeSpan.FromSeconds(limited.RetryAfterSeconds.Value);
                }
                DriverLog.SecretWatchFailed(_logger, e.Message, (long)delay.TotalMilliseconds);
                try
                {
                    await Task.Delay(delay, stoppingToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }

    private async Task ListAndRestoreAsync(CancellationToken cancellationToken)
    {
        var list = await _api.ListAsync(ApiResource.Secrets, null, LabelSelector, null, KubernetesJsonContext.Default.ResourceListObjectMetadataResource, cancellationToken).ConfigureAwait(false);
        var present = list.Items.Select(i => (i.Metadata.Namespace ?? string.Empty, i.Metadata.Name ?? string.Empty)).ToHashSet();
        ResourceVersion = list.Metadata?.ResourceVersion;
        DriverLog.SecretWatchListed(_logger, list.Items.Count, ResourceVersion ?? string.Empty);
        foreach (var (ns, name) in _sync.NeededSecrets().Where(n => !present.Contains(n)))
        {
            await _sync.RestoreAsync(ns, name, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task WatchOnceAsync(CancellationToken stoppingToken)
    {
        // The server ends the watch after timeoutSeconds; the client gives up a little later on a silent connection.
        var timeout = _watchTimeout * (0.9 + (Random.Shared.NextDouble() * 0.2));
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        deadline.CancelAfter(timeout + TimeSpan.FromSeconds(30));
        try
        {
            await foreach (var change in _api.WatchAsync(ApiResource.Secrets, null, ResourceVersion, LabelSelector, null, timeout, KubernetesJsonContext.Default.ObjectMetadataResource, deadline.Token).ConfigureAwait(false))
            {
                if (change.Item.Metadata.ResourceVersion is { Length: > 0 } version)
                {
                    ResourceVersion = version;
                }
                if (change.Type == "DELETED" && change.Item.Metadata is { Namespace: { } ns, Name: { } name } && _sync.NeededSecrets().Contains((ns, name)))
                {
                    DriverLog.SecretDeletedWhileNeeded(_logger, ns, name);
                    await _sync.RestoreAsync(ns, name, stoppingToken).ConfigureAwait(false);
                }
            }
        }
        catch (OperationCanceledException) when (!stoppingToken.IsCancellationRequested)
        {
            // The client-side deadline: resume from the last resourceVersion.
        }
    }
}
