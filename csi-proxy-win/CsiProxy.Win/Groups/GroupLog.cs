using Microsoft.Extensions.Logging;

namespace CsiProxy.Win.Groups;

/// <summary>What the API groups change on the host. Never a credential: SMB lines name the share only.</summary>
internal static partial class GroupLog
{
    [LoggerMessage(EventId = 100, Level = LogLevel.Information, Message = "Disk {DiskNumber}: initialized as GPT")]
    public static partial void DiskInitialized(ILogger logger, uint diskNumber);

    [LoggerMessage(EventId = 101, Level = LogLevel.Information, Message = "Disk {DiskNumber}: created a maximum-size data partition")]
    public static partial void PartitionCreated(ILogger logger, uint diskNumber);

    [LoggerMessage(EventId = 102, Level = LogLevel.Information, Message = "Disk {DiskNumber}: set online={Online}")]
    public static partial void DiskStateSet(ILogger logger, uint diskNumber, bool online);

    [LoggerMessage(EventId = 110, Level = LogLevel.Information, Message = "Volume {VolumeId}: mounted at {TargetPath}")]
    public static partial void VolumeMounted(ILogger logger, string volumeId, string targetPath);

    [LoggerMessage(EventId = 111, Level = LogLevel.Information, Message = "Volume {VolumeId}: unmounted from {TargetPath}")]
    public static partial void VolumeUnmounted(ILogger logger, string volumeId, string targetPath);

    [LoggerMessage(EventId = 112, Level = LogLevel.Information, Message = "Volume {VolumeId}: formatted NTFS")]
    public static partial void VolumeFormatted(ILogger logger, string volumeId);

    [LoggerMessage(EventId = 113, Level = LogLevel.Information, Message = "Volume {VolumeId}: resized from {FromBytes} to {ToBytes} bytes")]
    public static partial void VolumeResized(ILogger logger, string volumeId, long fromBytes, long toBytes);

    [LoggerMessage(EventId = 114, Level = LogLevel.Debug, Message = "Volume {VolumeId}: resize to {ToBytes} bytes skipped, within {Threshold} bytes of {CurrentBytes}")]
    public static partial void ResizeSkipped(ILogger logger, string volumeId, long toBytes, long threshold, long currentBytes);

    [LoggerMessage(EventId = 120, Level = LogLevel.Information, Message = "SMB share {RemoteRoot}: mapped")]
    public static partial void SmbMapped(ILogger logger, string remoteRoot);

    [LoggerMessage(EventId = 121, Level = LogLevel.Warning, Message = "SMB share {RemoteRoot}: existing mapping is {State} or unreachable; remapping")]
    public static partial void SmbRemapping(ILogger logger, string remoteRoot, string state);

    [LoggerMessage(EventId = 122, Level = LogLevel.Information, Message = "SMB share {RemoteRoot}: mapping removed")]
    public static partial void SmbUnmapped(ILogger logger, string remoteRoot);

    [LoggerMessage(EventId = 130, Level = LogLevel.Information, Message = "Service {Name}: {Action}")]
    public static partial void ServiceChanged(ILogger logger, string name, string action);
}
