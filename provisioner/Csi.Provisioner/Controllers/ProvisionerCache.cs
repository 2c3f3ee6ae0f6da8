using Csi.Kubernetes;
using Csi.Kubernetes.Informers;
using Csi.Provisioner.Models;

namespace Csi.Provisioner.Controllers;

/// <summary>The informers the controllers read from: claims, volumes, classes, and CSINodes and Nodes for topology.</summary>
public sealed class ProvisionerCache : IAsyncDisposable
{
    public ProvisionerCache(KubernetesApiClient client, ILoggerFactory loggers, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(loggers);
        var all = new InformerOptions();
        Claims = new(client, ApiResource.PersistentVolumeClaims, all, ProvisionerJsonContext.Default.PersistentVolumeClaim, ProvisionerJsonContext.Default.ResourceListPersistentVolumeClaim, loggers.CreateLogger("Informer.PersistentVolumeClaims"), time);
        Volumes = new(client, ApiResource.PersistentVolumes, all, ProvisionerJsonContext.Default.PersistentVolume, ProvisionerJsonContext.Default.ResourceListPersistentVolume, loggers.CreateLogger("Informer.PersistentVolumes"), time);
        Classes = new(client, ApiResource.StorageClasses, all, ProvisionerJsonContext.Default.StorageClass, ProvisionerJsonContext.Default.ResourceListStorageClass, loggers.CreateLogger("Informer.StorageClasses"), time);
        CsiNodes = new(client, ApiResource.CsiNodes, all, ProvisionerJsonContext.Default.CsiNode, ProvisionerJsonContext.Default.ResourceListCsiNode, loggers.CreateLogger("Informer.CSINodes"), time);
        Nodes = new(client, ApiResource.Nodes, all, ProvisionerJsonContext.Default.NodeResource, ProvisionerJsonContext.Default.ResourceListNodeResource, loggers.CreateLogger("Informer.Nodes"), time);
    }

    public Informer<PersistentVolumeClaim> Claims { get; }

    public Informer<PersistentVolume> Volumes { get; }

    public Informer<StorageClass> Classes { get; }

    public Informer<CsiNode> CsiNodes { get; }

    public Informer<NodeResource> Nodes { get; }

    public void Start()
    {
        Classes.Start();
        CsiNodes.Start();
        Nodes.Start();
        Volumes.Start();
        Claims.Start();
    }

    public Task WaitForSyncAsync(CancellationToken cancellationToken)
        => Task.WhenAll(Classes.WaitForSyncAsync(cancellationToken), CsiNodes.WaitForSyncAsync(cancellationToken), Nodes.WaitForSyncAsync(cancellationToken), Volumes.WaitForSyncAsync(cancellationToken), Claims.WaitForSyncAsync(cancellationToken));

    public async ValueTask DisposeAsync()
    {
        await Claims.DisposeAsync().ConfigureAwait(false);
        await Volumes.DisposeAsync().ConfigureAwait(false);
        await Classes.DisposeAsync().ConfigureAwait(false);
        await CsiNodes.DisposeAsync().ConfigureAwait(false);
        await Nodes.DisposeAsync().ConfigureAwait(false);
    }
}
