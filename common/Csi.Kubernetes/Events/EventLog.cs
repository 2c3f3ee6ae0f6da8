using Microsoft.Extensions.Logging;

namespace Csi.Kubernetes.Events;

/// <summary>The event recorder's log lines: kinds, names, reasons and API errors, never an event's message (it may quote user input).</summary>
internal static partial class EventLog
{
    [LoggerMessage(EventId = 340, EventName = "EventRecorded", Level = LogLevel.Debug, Message = "event {Type} {Reason} recorded on {Kind} {Namespace}/{Name}")]
    public static partial void Recorded(ILogger logger, string type, string reason, string? kind, string? @namespace, string? name);

    [LoggerMessage(EventId = 341, EventName = "EventFailed", Level = LogLevel.Warning, Message = "could not record event {Reason} on {Kind} {Namespace}/{Name}: {Error}")]
    public static partial void Failed(ILogger logger, string reason, string? kind, string? @namespace, string? name, string error);

    [LoggerMessage(EventId = 342, EventName = "EventDropped", Level = LogLevel.Warning, Message = "event {Reason} on {Kind} {Namespace}/{Name} dropped: {Pending} events are already waiting to be written")]
    public static partial void Dropped(ILogger logger, string reason, string? kind, string? @namespace, string? name, int pending);
}
