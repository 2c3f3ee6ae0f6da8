
namespace Csi.Provisioner;

/// <summary>The provisioner's log lines (never a secret value).</summary>
internal static partial class ProvisionerLog
{
    [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "csi-provisioner {Version} started for driver {DriverName} ({DriverVersion}) at {Address}; topology {Topology}, {Workers} workers")]
    public static partial void Started(ILogger logger, string version, string driverName, string driverVersion, string address, bool topology, int workers);

    [LoggerMessage(EventId = 2, Level = LogLevel.Information, Message = "Waiting for the CSI driver at {Address}: {Problem}")]
    public static partial void WaitingForDriver(ILogger logger, string address, string problem);

    [LoggerMessage(EventId = 10, Level = LogLevel.Information, Message = "Provisioning volume {VolumeName} for claim {Claim} (class {ClassName})")]
    public static partial void Provisioning(ILogger logger, string volumeName, string claim, string className);

    [LoggerMessage(EventId = 11, Level = LogLevel.Information, Message = "Provisioned volume {VolumeName} ({VolumeId}, {Bytes} bytes) for claim {Claim}")]
    public static partial void Provisioned(ILogger logger, string volumeName, string volumeId, long bytes, string claim);

    [LoggerMessage(EventId = 12, Level = LogLevel.Warning, Message = "Provisioning claim {Claim} failed ({Kind}): {Error}")]
    public static partial void ProvisioningFailed(ILogger logger, string claim, string kind, string error);

    [LoggerMessage(EventId = 13, Level = LogLevel.Information, Message = "Claim {Claim}: node {Node} cannot hold the volume; removed the selected node so the scheduler picks again")]
    public static partial void Rescheduled(ILogger logger, string claim, string node);

    [LoggerMessage(EventId = 14, Level = LogLevel.Information, Message = "Claim {Claim} was deleted while its volume was being created; CreateVolume is repeated until the driver answers, so a volume it created is not left behind")]
    public static partial void ClaimGoneInFlight(ILogger logger, string claim);

    [LoggerMessage(EventId = 15, Level = LogLevel.Information, Message = "Claim {Claim} was deleted while its volume was being created; PersistentVolume {VolumeName} is written for it, so the PV controller releases it and reclaim policy {Policy} applies")]
    public static partial void ClaimGoneVolumeCreated(ILogger logger, string claim, string volumeName, string policy);

    [LoggerMessage(EventId = 16, Level = LogLevel.Information, Message = "Claim {Claim} was deleted while its volume was being created, and the driver answered that it created none: nothing to clean up")]
    public static partial void ClaimGoneNoVolume(ILogger logger, string claim);

    [LoggerMessage(EventId = 17, Level = LogLevel.Information, Message = "Source claim {Namespace}/{Source} is protected from deletion while clone {Clone} is provisioned")]
    public static partial void CloneSourceProtected(ILogger logger, string @namespace, string source, string clone);

    [LoggerMessage(EventId = 18, Level = LogLevel.Information, Message = "Source claim {Namespace}/{Source} released: no clone of it is being provisioned")]
    public static partial void CloneSourceReleased(ILogger logger, string @namespace, string source);

    [LoggerMessage(EventId = 20, Level = LogLevel.Information, Message = "Deleted volume {VolumeId} of PersistentVolume {VolumeName}")]
    public static partial void Deleted(ILogger logger, string volumeId, string volumeName);

    [LoggerMessage(EventId = 21, Level = LogLevel.Warning, Message = "Deleting PersistentVolume {VolumeName} failed: {Error}")]
    public static partial void DeleteFailed(ILogger logger, string volumeName, string error);

    [LoggerMessage(EventId = 22, Level = LogLevel.Information, Message = "PersistentVolume {VolumeName} has reclaim policy {Policy}: removed the provisioner's finalizer, the volume stays")]
    public static partial void Retained(ILogger logger, string volumeName, string policy);

    [LoggerMessage(EventId = 30, Level = LogLevel.Error, Message = "Worker of {Queue} failed on {Key}")]
    public static partial void WorkerFailed(ILogger logger, Exception exception, string queue, string key);

    [LoggerMessage(EventId = 40, Level = LogLevel.Information, Message = "Leading: provisioning starts")]
    public static partial void Leading(ILogger logger);

    [LoggerMessage(EventId = 50, Level = LogLevel.Information, Message = "Node deployment: claim {Claim} has no selected node; trying to take it for node {Node} in {Delay}")]
    public static partial void OwnershipWait(ILogger logger, string claim, string node, TimeSpan delay);

    [LoggerMessage(EventId = 51, Level = LogLevel.Information, Message = "Node deployment: took claim {Claim} for node {Node}")]
    public static partial void OwnershipTaken(ILogger logger, string claim, string node);

    [LoggerMessage(EventId = 52, Level = LogLevel.Information, Message = "Node deployment: claim {Claim} changed while taking it ({Reason}); deciding again")]
    public static partial void OwnershipLost(ILogger logger, string claim, string reason);

    [LoggerMessage(EventId = 60, Level = LogLevel.Information, Message = "Published CSIStorageCapacity {Name} for {Key}: {Capacity}")]
    public static partial void CapacityPublished(ILogger logger, string name, string key, string capacity);

    [LoggerMessage(EventId = 61, Level = LogLevel.Information, Message = "Removed CSIStorageCapacity {Name} ({Key}): no such class or segment any more")]
    public static partial void CapacityRemoved(ILogger logger, string name, string key);

    [LoggerMessage(EventId = 62, Level = LogLevel.Warning, Message = "Capacity refresh failed, published objects left as they are: {Error}")]
    public static partial void CapacityRefreshFailed(ILogger logger, string error);

    [LoggerMessage(EventId = 63, Level = LogLevel.Warning, Message = "No capacity published for StorageClass {ClassName}: {Error}")]
    public static partial void CapacityClassSkipped(ILogger logger, string className, string error);

    [LoggerMessage(EventId = 64, Level = LogLevel.Warning, Message = "CSIStorageCapacity objects get no owner: {Reason}")]
    public static partial void CapacityNoOwner(ILogger logger, string reason);
}
