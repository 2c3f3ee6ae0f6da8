using Csi.Common.Metrics;
using Csi.Kubernetes;
using Csi.Kubernetes.Queues;
using Csi.Provisioner.Models;

namespace Csi.Provisioner.Controllers;

/// <summary>
/// The two loops of the provisioner: claims (provision) and volumes (delete), each a rate-limited work queue fed by
/// the informers and drained by --worker-threads workers. A key is never worked on by two workers at once.
/// </summary>
public sealed class ProvisionController : IAsyncDisposable
{
    private readonly ProvisionerCache _cache;
    private readonly ClaimSync _claims;
    private readonly VolumeSync _volumes;
    private readonly ProvisioningDefaults _defaults;
    private readonly ILogger _logger;
    private readonly WorkQueue<string> _claimQueue;
    private readonly WorkQueue<string> _volumeQueue;
    private readonly List<Task> _workers = [];

    public ProvisionController(KubernetesApiClient client, ProvisionerCache cache, Csi.V1.Controller.ControllerClient driver, ProvisioningDefaults defaults, IEventSink events, MetricsRegistry metrics, ILoggerFactory loggers, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(cache);
        ArgumentNullException.ThrowIfNull(defaults);
        ArgumentNullException.ThrowIfNull(loggers);
        _cache = cache;
        _defaults = defaults;
        _logger = loggers.CreateLogger<ProvisionController>();
        _claims = new ClaimSync(client, cache, driver, defaults, events, loggers.CreateLogger<ClaimSync>(), time);
        _volumes = new VolumeSync(client, cache, driver, defaults, events, loggers.CreateLogger<VolumeSync>(), time);
        var options = defaults.Options;
        _claimQueue = new WorkQueue<string>("claims", options.RetryIntervalStart, options.RetryIntervalMax, time, metrics);
        _volumeQueue = new WorkQueue<string>("volumes", options.RetryIntervalStart, options.RetryIntervalMax, time, metrics);

        cache.Claims.AddHandler(c => _claimQueue.Add(ClaimSync.Key(c.Metadata)), (_, c) => _claimQueue.Add(ClaimSync.Key(c.Metadata)), ClaimDeleted);
        cache.Volumes.AddHandler(v => _volumeQueue.Add(v.Metadata.Name!), (_, v) => _volumeQueue.Add(v.Metadata.Name!), null);
        cache.Classes.AddHandler(ClassChanged, (_, c) => ClassChanged(c), null);
    }

    /// <summary>Starts the workers; the caller has started the informers and waited for their sync.</summary>
    public void Start(CancellationToken cancellationToken)
    {
        for (var i = 0; i < _defaults.Options.WorkerThreads; i++)
        {
            _workers.Add(Task.Run(() => WorkAsync(_claimQueue, "claims", _claims.SyncAsync, cancellationToken), CancellationToken.None));
            _workers.Add(Task.Run(() => WorkAsync(_volumeQueue, "volumes", _volumes.SyncAsync, cancellationToken), CancellationToken.None));
        }
        // Objects listed before the handlers saw them: queue them all once.
        foreach (var claim in _cache.Claims.List())
        {
            _claimQueue.Add(ClaimSync.Key(claim.Metadata));
        }
        foreach (var volume in _cache.Volumes.List())
        {
            _volumeQueue.Add(volume.Metadata.Name!);
        }
    }

    private void ClaimDeleted(PersistentVolumeClaim claim)
    {
        var key = ClaimSync.Key(claim.Metadata);
        _claims.Forget(key);
        if (_claims.InFlight.Get(key) is not null)
        {
            _claimQueue.Add(key); // its volume may exist: the claim is worked on until the driver answers for good
        }
        // A clone gone: its source may lose the cloning-protection finalizer.
        if (CloningProtection.SourceOf(claim) is { } source)
        {
            _claimQueue.Add($"{claim.Metadata.Namespace}/{source}");
        }
    }

    private void ClassChanged(StorageClass storageClass)
    {
        // An infeasible claim is retried at once when its class is replaced (a new uid), as upstream does.
        foreach (var (key, uid) in _claims.Infeasible)
        {
            var (ns, name) = (key[..key.IndexOf('/', StringComparison.Ordinal)], key[(key.IndexOf('/', StringComparison.Ordinal) + 1)..]);
            var claim = _cache.Claims.Get(ns, name);
            if (claim is not null && ClaimSync.ClassName(claim) == storageClass.Metadata.Name && uid != storageClass.Metadata.Uid)
            {
                _claims.Infeasible.TryRemove(key, out _);
                _claimQueue.Add(key);
            }
        }
    }

    private async Task WorkAsync(WorkQueue<string> queue, string name, Func<string, CancellationToken, Task<SyncResult>> sync, CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            WorkItem<string> item;
            try
            {
                item = await queue.GetAsync(cancellationToken).ConfigureAwait(false);
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
                switch (await sync(item.Key, cancellationToken).ConfigureAwait(false))
                {
                    case SyncResult.Done:
                        queue.Forget(item.Key);
                        break;
                    case SyncResult.Later:
                        queue.Forget(item.Key);
                        queue.AddAfter(item.Key, _claims.Ownership?.DelayOf(item.Key) ?? _defaults.Options.RetryIntervalStart);
                        break;
                    case SyncResult.RetrySlowly:
                        queue.Forget(item.Key);
                        queue.AddAfter(item.Key, _defaults.Options.RetryIntervalMax);
                        break;
                    default:
                        queue.AddRateLimited(item.Key);
                        break;
                }
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                // Whatever one object does wrong, the worker goes on with the others and the object is retried.
                ProvisionerLog.WorkerFailed(_logger, e, name, item.Key);
                queue.AddRateLimited(item.Key);
            }
            finally
            {
                queue.Done(item.Key);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        _claimQueue.ShutDown();
        _volumeQueue.ShutDown();
        await Task.WhenAll(_workers).ConfigureAwait(false);
        _claimQueue.Dispose();
        _volumeQueue.Dispose();
    }
}
