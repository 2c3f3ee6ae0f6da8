using System.Collections.Concurrent;
using SecretsStore.Driver.Diagnostics;

namespace SecretsStore.Driver.PodStatuses;

/// <summary>Standalone mode: the statuses live in memory, keyed by target path, and are logged.</summary>
public sealed class InMemoryPodStatusRecorder : IPodStatusRecorder
{
    private readonly ConcurrentDictionary<string, PodStatusRecord> _records = new(StringComparer.Ordinal);
    private readonly ILogger _logger;

    public InMemoryPodStatusRecorder(ILogger<InMemoryPodStatusRecorder> logger)
    {
        _logger = logger;
    }

    public IReadOnlyCollection<PodStatusRecord> Records => [.. _records.Values];

    public Task RecordAsync(PodStatusRecord record, CancellationToken cancellationToken)
    {
        _records[record.TargetPath] = record;
        DriverLog.PodStatusRecorded(_logger, record.PodNamespace, record.PodName, record.TargetPath, record.Objects.Count);
        return Task.CompletedTask;
    }

    public Task RemoveAsync(string targetPath, CancellationToken cancellationToken)
    {
        _records.TryRemove(targetPath, out _);
        return Task.CompletedTask;
    }
}
