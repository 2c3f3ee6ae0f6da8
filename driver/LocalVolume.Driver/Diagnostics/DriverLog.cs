namespace LocalVolume.Driver.Diagnostics;

/// <summary>Every log line the driver writes, with stable event ids. Arguments are ids, names, paths, sizes and error texts.</summary>
internal static partial class DriverLog
{
    [LoggerMessage(EventId = 1, EventName = "DriverStarted", Level = LogLevel.Information, Message = "driver {DriverName} {Version} serving CSI ({Mode}) on {SocketPath}, node {NodeId}, pools {Pools}")]
    public static partial void Started(ILogger logger, string driverName, string version, string mode, string socketPath, string nodeId, string pools);

    [LoggerMessage(EventId = 10, EventName = "VolumeCreated", Level = LogLevel.Information, Message = "created volume {VolumeId} ({Name}) in pool {Pool}, {CapacityBytes} bytes")]
    public static partial void VolumeCreated(ILogger logger, string volumeId, string name, string pool, long capacityBytes);

    [LoggerMessage(EventId = 11, EventName = "VolumeDeleted", Level = LogLevel.Information, Message = "deleted volume {VolumeId} from pool {Pool}")]
    public static partial void VolumeDeleted(ILogger logger, string volumeId, string pool);

    [LoggerMessage(EventId = 12, EventName = "VolumeExpanded", Level = LogLevel.Information, Message = "expanded volume {VolumeId} to {CapacityBytes} bytes")]
    public static partial void VolumeExpanded(ILogger logger, string volumeId, long capacityBytes);

    [LoggerMessage(EventId = 13, EventName = "SnapshotCreated", Level = LogLevel.Information, Message = "created snapshot {SnapshotId} ({Name}) of volume {VolumeId}")]
    public static partial void SnapshotCreated(ILogger logger, string snapshotId, string name, string volumeId);

    [LoggerMessage(EventId = 14, EventName = "SnapshotDeleted", Level = LogLevel.Information, Message = "deleted snapshot {SnapshotId}")]
    public static partial void SnapshotDeleted(ILogger logger, string snapshotId);

    [LoggerMessage(EventId = 20, EventName = "Repaired", Level = LogLevel.Warning, Message = "removed {Id}, left {Phase} by an earlier run, from pool {Pool}")]
    public static partial void Repaired(ILogger logger, string id, string phase, string pool);

    [LoggerMessage(EventId = 21, EventName = "OrphanRemoved", Level = LogLevel.Warning, Message = "removed storage of {Id} in pool {Pool}: no record claims it")]
    public static partial void OrphanRemoved(ILogger logger, string id, string pool);

    [LoggerMessage(EventId = 22, EventName = "UndoFailed", Level = LogLevel.Error, Message = "could not undo the failed creation of {Id}; the next start removes it: {Error}")]
    public static partial void UndoFailed(ILogger logger, string id, string error);

    [LoggerMessage(EventId = 30, EventName = "VolumeStaged", Level = LogLevel.Information, Message = "staged volume {VolumeId} at {StagingPath}{Detail}")]
    public static partial void Staged(ILogger logger, string volumeId, string stagingPath, string detail);

    [LoggerMessage(EventId = 31, EventName = "VolumeUnstaged", Level = LogLevel.Information, Message = "unstaged volume {VolumeId} from {StagingPath}")]
    public static partial void Unstaged(ILogger logger, string volumeId, string stagingPath);

    [LoggerMessage(EventId = 32, EventName = "VolumePublished", Level = LogLevel.Information, Message = "published volume {VolumeId} at {TargetPath}, read-only {ReadOnly}")]
    public static partial void Published(ILogger logger, string volumeId, string targetPath, bool readOnly);

    [LoggerMessage(EventId = 33, EventName = "VolumeUnpublished", Level = LogLevel.Information, Message = "unpublished volume {VolumeId} from {TargetPath}")]
    public static partial void Unpublished(ILogger logger, string volumeId, string targetPath);

    [LoggerMessage(EventId = 34, EventName = "FileSystemMade", Level = LogLevel.Information, Message = "made {FileSystem} on {Device} for volume {VolumeId}")]
    public static partial void FileSystemMade(ILogger logger, string fileSystem, string device, string volumeId);

    [LoggerMessage(EventId = 35, EventName = "NodeExpanded", Level = LogLevel.Information, Message = "grew volume {VolumeId} on the node to {CapacityBytes} bytes")]
    public static partial void NodeExpanded(ILogger logger, string volumeId, long capacityBytes);

    [LoggerMessage(EventId = 36, EventName = "StageCleanupFailed", Level = LogLevel.Error, Message = "could not undo a failed stage of volume {VolumeId}: {Error}")]
    public static partial void StageCleanupFailed(ILogger logger, string volumeId, string error);

    [LoggerMessage(EventId = 40, EventName = "CallFailed", Level = LogLevel.Warning, Message = "{Method} failed with {Code}: {Error}")]
    public static partial void CallFailed(ILogger logger, string method, string code, string error);
}
