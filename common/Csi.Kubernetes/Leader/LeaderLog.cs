using Microsoft.Extensions.Logging;

namespace Csi.Kubernetes.Leader;

/// <summary>Leader election's log lines.</summary>
internal static partial class LeaderLog
{
    [LoggerMessage(EventId = 320, EventName = "LeaderAcquired", Level = LogLevel.Information, Message = "became leader: lease {Namespace}/{Lease} held by {Identity}")]
    public static partial void Acquired(ILogger logger, string @namespace, string lease, string identity);

    [LoggerMessage(EventId = 321, EventName = "LeaderWaiting", Level = LogLevel.Debug, Message = "lease {Namespace}/{Lease} is held by {Holder}; waiting")]
    public static partial void Waiting(ILogger logger, string @namespace, string lease, string holder);

    [LoggerMessage(EventId = 322, EventName = "LeaderLost", Level = LogLevel.Warning, Message = "lost leadership of lease {Namespace}/{Lease}: not renewed within {RenewDeadlineSeconds} s; stopping the work and trying to acquire it again")]
    public static partial void Lost(ILogger logger, string @namespace, string lease, double renewDeadlineSeconds);

    [LoggerMessage(EventId = 323, EventName = "LeaderReleased", Level = LogLevel.Information, Message = "released lease {Namespace}/{Lease}")]
    public static partial void Released(ILogger logger, string @namespace, string lease);

    [LoggerMessage(EventId = 324, EventName = "LeaderAttemptFailed", Level = LogLevel.Warning, Message = "could not acquire or renew lease {Namespace}/{Lease}: {Error}")]
    public static partial void AttemptFailed(ILogger logger, string @namespace, string lease, string error);
}
