using Microsoft.Extensions.Logging;

namespace Csi.ProviderHost;

/// <summary>The host's log lines: ids, names, counts and messages it composed; never secrets or tokens.</summary>
internal static partial class ProviderHostLog
{
    [LoggerMessage(EventId = 1, EventName = "ProviderStarted", Level = LogLevel.Information, Message = "provider {Provider} {Version} serving v1alpha1 on {SocketPath}")]
    public static partial void Started(ILogger logger, string provider, string version, string socketPath);

    [LoggerMessage(EventId = 10, EventName = "Mounted", Level = LogLevel.Information, Message = "mounted {FileCount} files ({ObjectCount} objects) for pod {PodNamespace}/{PodName} in {DurationMs} ms")]
    public static partial void Mounted(ILogger logger, int fileCount, int objectCount, string podNamespace, string podName, long durationMs);

    [LoggerMessage(EventId = 11, EventName = "MountFailed", Level = LogLevel.Warning, Message = "mount for pod {PodNamespace}/{PodName} failed ({ErrorCode}): {Error}")]
    public static partial void MountFailed(ILogger logger, string podNamespace, string podName, string errorCode, string error);

    [LoggerMessage(EventId = 12, EventName = "MountCrashed", Level = LogLevel.Error, Message = "mount for pod {PodNamespace}/{PodName} failed unexpectedly: {ExceptionType}")]
    public static partial void MountCrashed(ILogger logger, string podNamespace, string podName, string exceptionType);

    [LoggerMessage(EventId = 13, EventName = "HandlerFailed", Level = LogLevel.Error, Message = "{Method} failed unexpectedly: {ExceptionType}")]
    public static partial void HandlerFailed(ILogger logger, string method, string exceptionType);
}
