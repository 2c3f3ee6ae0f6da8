
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
}
