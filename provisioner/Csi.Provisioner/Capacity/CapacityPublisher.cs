using Csi.Kubernetes;
using Csi.Kubernetes.Models;
using Csi.Provisioner.Controllers;
using Csi.Provisioner.Models;
using Csi.Provisioner.Provisioning;
using Csi.V1;
using Grpc.Core;

namespace Csi.Provisioner.Capacity;

/// <summary>
/// --enable-capacity: one loop that, every --capacity-poll-interval and whenever a StorageClass changes, calls
/// GetCapacity per (topology segment, StorageClass of this driver) and makes the CSIStorageCapacity objects in the
/// provisioner's namespace match (create with generateName csisc-, update, delete what no class or segment needs).
/// A round in which any GetCapacity fails writes nothing, so an unreachable driver never deletes published capacity.
/// </summary>
public sealed class CapacityPublisher : IAsyncDisposable
{
    private readonly KubernetesApiClient _client;
    private readonly ProvisionerCache _cache;
    private readonly Controller.ControllerClient _driver;
    private readonly ProvisioningDefaults _defaults;
    private readonly IReadOnlyList<OwnerReference> _owners;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly SemaphoreSlim _poke = new(0, 1);
    private readonly string _managedBy;
    private Task _loop = Task.CompletedTask;

    public CapacityPublisher(KubernetesApiClient client, ProvisionerCache cache, Controller.ControllerClient driver, ProvisioningDefaults defaults, IReadOnlyList<OwnerReference> owners, ILogger logger, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(cache);
        ArgumentNullException.ThrowIfNull(defaults);
        _client = client;
        _cache = cache;
        _driver = driver;
        _defaults = defaults;
        _owners = owners;
        _logger = logger;
        _time = time;
        _managedBy = ManagedBy.For(defaults.Options.NodeDeployment ? defaults.Options.NodeName : null);
        cache.Classes.AddHandler(_ => Poke(), (_, _) => Poke(), _ => Poke());
        cache.CsiNodes.AddHandler(_ => Poke(), null, _ => Poke());
    }

    private string Namespace => _defaults.Options.CapacityNamespace;

    /// <summary>Starts the loop; the caller has waited for the informers' sync.</summary>
    public void Start(CancellationToken cancellationToken) => _loop = Task.Run(() => LoopAsync(cancellationToken), CancellationToken.None);

    private void Poke()
    {
        try
        {
            _poke.Release();
        }
        catch (SemaphoreFullException)
        {
            // A refresh is already due.
        }
    }

    private async Task LoopAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                await RefreshAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is KubernetesApiException or HttpRequestException or IOException)
            {
                ProvisionerLog.CapacityRefreshFailed(_logger, e.Message);
            }
            using var wait = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            wait.CancelAfter(_defaults.Options.CapacityPollInterval);
            try
            {
                await _poke.WaitAsync(wait.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                // The poll interval passed.
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    /// <summary>One round: ask the driver, list what is published, write the difference.</summary>
    public async Task RefreshAsync(CancellationToken cancellationToken)
    {
        var desired = await DesiredAsync(cancellationToken).ConfigureAwait(false);
        if (desired is null)
        {
            return;
        }
        var existing = await _client.ListAsync(ApiResource.CsiStorageCapacities, Namespace, ManagedBy.Selector(_defaults.Driver.Name, _managedBy), null, ProvisionerJsonContext.Default.ResourceListCsiStorageCapacity, cancellationToken).ConfigureAwait(false);
        var plan = CapacityPlan.Of(desired, existing.Items);
        foreach (var (key, value) in plan.Create)
        {
            var item = New(key);
            CapacityPlan.Apply(item, value);
            var created = await _client.CreateAsync(ApiResource.CsiStorageCapacities, Namespace, item, ProvisionerJsonContext.Default.CsiStorageCapacity, cancellationToken).ConfigureAwait(false);
            ProvisionerLog.CapacityPublished(_logger, created.Metadata.Name ?? string.Empty, key.Id, item.Capacity ?? string.Empty);
        }
        foreach (var (item, value) in plan.Update)
        {
            CapacityPlan.Apply(item, value);
            try
            {
                await _client.UpdateAsync(ApiResource.CsiStorageCapacities, Namespace, item.Metadata.Name!, item, ProvisionerJsonContext.Default.CsiStorageCapacity, cancellationToken).ConfigureAwait(false);
                var id = CapacityPlan.KeyOf(item).Id;
                ProvisionerLog.CapacityPublished(_logger, item.Metadata.Name ?? string.Empty, id, item.Capacity ?? string.Empty);
            }
            catch (KubernetesApiException e) when (e.IsConflict || e.IsNotFound)
            {
                Poke(); // changed or removed meanwhile: the next round reads it again
            }
        }
        foreach (var item in plan.Delete)
        {
            await _client.DeleteAsync(ApiResource.CsiStorageCapacities, Namespace, item.Metadata.Name!, cancellationToken).ConfigureAwait(false);
            var id = CapacityPlan.KeyOf(item).Id;
            ProvisionerLog.CapacityRemoved(_logger, item.Metadata.Name ?? string.Empty, id);
        }
    }

    private async Task<Dictionary<CapacityKey, CapacityValue>?> DesiredAsync(CancellationToken cancellationToken)
    {
        var driverName = _defaults.Driver.Name;
        var segments = CapacitySegments.Of(driverName, _cache.CsiNodes.List(), n => _cache.Nodes.Get(null, n));
        var classes = _cache.Classes.List()
            .Where(c => c.Provisioner == driverName && (c.VolumeBindingMode == "WaitForFirstConsumer" || _defaults.Options.CapacityForImmediateBinding))
            .OrderBy(c => c.Metadata.Name, StringComparer.Ordinal)
            .ToList();
        var desired = new Dictionary<CapacityKey, CapacityValue>();
        foreach (var storageClass in classes)
        {
            var className = storageClass.Metadata.Name ?? string.Empty;
            IReadOnlyDictionary<string, string> parameters;
            try
            {
                parameters = ClassParameters.Parse(className, storageClass.Parameters).DriverParameters;
            }
            catch (ProvisioningException e)
            {
                ProvisionerLog.CapacityClassSkipped(_logger, className, e.Message);
                continue; // a class no claim can use has no capacity; its objects go
            }
            foreach (var segment in segments)
            {
                var request = new GetCapacityRequest { AccessibleTopology = new Topology() };
                foreach (var (name, value) in parameters)
                {
                    request.Parameters[name] = value;
                }
                foreach (var (name, value) in segment)
                {
                    request.AccessibleTopology.Segments[name] = value;
                }
                try
                {
                    var response = await _driver.GetCapacityAsync(request, deadline: _time.GetUtcNow().UtcDateTime + _defaults.Options.Timeout, cancellationToken: cancellationToken).ConfigureAwait(false);
                    desired[new CapacityKey(segment, className)] = new CapacityValue(response.AvailableCapacity, response.MaximumVolumeSize);
                }
                catch (RpcException e)
                {
                    ProvisionerLog.CapacityRefreshFailed(_logger, $"GetCapacity for class {className} in {CapacityKey.Describe(segment)}: {e.StatusCode}: {e.Status.Detail}");
                    return null;
                }
            }
        }
        return desired;
    }

    private CsiStorageCapacity New(CapacityKey key) => new()
    {
        Metadata = new ObjectMeta
        {
            GenerateName = "csisc-",
            Namespace = Namespace,
            Labels = new Dictionary<string, string>(StringComparer.Ordinal)
            {
                [ManagedBy.DriverNameLabel] = _defaults.Driver.Name,
                [ManagedBy.ManagedByLabel] = _managedBy,
            },
            OwnerReferences = _owners.Count > 0 ? [.. _owners] : null,
        },
        NodeTopology = new LabelSelectorModel { MatchLabels = new Dictionary<string, string>(key.Segment, StringComparer.Ordinal) },
        StorageClassName = key.ClassName,
    };

    public async ValueTask DisposeAsync()
    {
        try
        {
            await _loop.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }
        _poke.Dispose();
    }
}
