using Microsoft.Extensions.Logging;

namespace Csi.Kubernetes.Informers;

/// <summary>The informers' log lines: resources, selectors, resourceVersions and error texts, never object content.</summary>
internal static partial class InformerLog
{
    [LoggerMessage(EventId = 300, EventName = "InformerListed", Level = LogLevel.Debug, Message = "listed {Resource}: {Count} objects at resourceVersion {ResourceVersion}")]
    public static partial void Listed(ILogger logger, string resource, int count, string? resourceVersion);

    [LoggerMessage(EventId = 301, EventName = "InformerGone", Level = LogLevel.Information, Message = "watch of {Resource} from resourceVersion {ResourceVersion} expired (410 Gone); listing again")]
    public static partial void Gone(ILogger logger, string resource, string? resourceVersion);

    [LoggerMessage(EventId = 302, EventName = "InformerFailed", Level = LogLevel.Warning, Message = "list/watch of {Resource} failed (attempt {Attempt}), retrying in {DelayMs} ms: {Error}")]
    public static partial void Failed(ILogger logger, string resource, int attempt, long delayMs, string error);

    [LoggerMessage(EventId = 303, EventName = "InformerHandlerFailed", Level = LogLevel.Error, Message = "an event handler for {Resource} {Key} threw; the informer goes on: {Error}")]
    public static partial void HandlerFailed(ILogger logger, string resource, string key, string error);
}
