using SecretsStore.Driver.Diagnostics;

namespace SecretsStore.Driver.Events;

/// <summary>Standalone mode: no API to write Events to, so they become log lines.</summary>
public sealed class LoggingPodEventRecorder : IPodEventRecorder
{
    private readonly ILogger _logger;

    public LoggingPodEventRecorder(ILogger<LoggingPodEventRecorder> logger)
    {
        _logger = logger;
    }

    public Task RecordAsync(PodEvent podEvent, CancellationToken cancellationToken)
    {
        DriverLog.PodEventLogged(_logger, podEvent.Type, podEvent.Reason, podEvent.Pod.Namespace, podEvent.Pod.Name, podEvent.Message);
        return Task.CompletedTask;
    }
}
