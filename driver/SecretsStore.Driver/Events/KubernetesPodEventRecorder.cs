using System.Globalization;
using System.Text.Json;
using Csi.Kubernetes;
using Csi.Kubernetes.Models;
using SecretsStore.Driver.Diagnostics;

namespace SecretsStore.Driver.Events;

/// <summary>
/// core/v1 Events on pods, written as client-go's recorder writes them: name &lt;pod&gt;.&lt;hex nanoseconds&gt;, source
/// component and host, count with first and last timestamps. An Event that repeats one recorded in the last
/// ten minutes bumps its count with a merge patch instead of adding an object.
/// </summary>
public sealed class KubernetesPodEventRecorder : IPodEventRecorder
{
    public const int MaxMessageLength = 1024;
    private const int MaxRemembered = 4096;
    private static readonly TimeSpan AggregationWindow = TimeSpan.FromMinutes(10);

    private readonly KubernetesApiClient _api;
    private readonly string _nodeId;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly Lock _gate = new();
    private readonly Dictionary<string, Recorded> _recent = new(StringComparer.Ordinal);

    public KubernetesPodEventRecorder(KubernetesApiClient api, string nodeId, ILogger<KubernetesPodEventRecorder> logger, TimeProvider? time = null)
    {
        _api = api;
        _nodeId = nodeId;
        _logger = logger;
        _time = time ?? TimeProvider.System;
    }

    public async Task RecordAsync(PodEvent podEvent, CancellationToken cancellationToken)
    {
        var message = podEvent.Message.Length > MaxMessageLength ? podEvent.Message[..(MaxMessageLength - 3)] + "..." : podEvent.Message;
        var key = string.Join('\u0000', podEvent.Pod.Uid, podEvent.Pod.Namespace, podEvent.Pod.Name, podEvent.Type, podEvent.Reason, podEvent.Component, message);
        var now = _time.GetUtcNow();
        Recorded? previous;
        lock (_gate)
        {
            _recent.TryGetValue(key, out previous);
        }
        try
        {
            if (previous is not null && now - previous.Last < AggregationWindow
                && await TryBumpAsync(podEvent.Pod.Namespace, previous, now, cancellationToken).ConfigureAwait(false) is { } bumped)
            {
                Remember(key, bumped);
                return;
            }
            var name = string.Create(CultureInfo.InvariantCulture, $"{podEvent.Pod.Name}.{(now - DateTimeOffset.UnixEpoch).Ticks * 100:x}");
            var created = new EventResource
            {
                Metadata = new ObjectMeta { Name = name, Namespace = podEvent.Pod.Namespace },
                InvolvedObject = new ObjectReference { ApiVersion = "v1", Kind = "Pod", Namespace = podEvent.Pod.Namespace, Name = podEvent.Pod.Name, Uid = podEvent.Pod.Uid },
                Reason = podEvent.Reason,
                Message = message,
                Source = new EventSource { Component = podEvent.Component, Host = _nodeId },
                FirstTimestamp = Timestamp(now),
                LastTimestamp = Timestamp(now),
                Count = 1,
                Type = podEvent.Type,
                ReportingComponent = podEvent.Component,
                ReportingInstance = _nodeId,
            };
            await _api.CreateAsync(ApiResource.Events, podEvent.Pod.Namespace, created, KubernetesJsonContext.Default.EventResource, cancellationToken).ConfigureAwait(false);
            Remember(key, new Recorded(name, 1, now));
            DriverLog.PodEventRecorded(_logger, podEvent.Type, podEvent.Reason, podEvent.Pod.Namespace, podEvent.Pod.Name);
        }
        catch (KubernetesApiException e)
        {
            DriverLog.PodEventFailed(_logger, podEvent.Reason, podEvent.Pod.Namespace, podEvent.Pod.Name, e.Message);
        }
    }

    private async Task<Recorded?> TryBumpAsync(string @namespace, Recorded previous, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var count = previous.Count + 1;
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteNumber("count", count);
            writer.WriteString("lastTimestamp", Timestamp(now));
            writer.WriteEndObject();
        }
        try
        {
            await _api.PatchAsync(ApiResource.Events, @namespace, previous.Name, buffer.ToArray(), KubernetesJsonContext.Default.EventResource, cancellationToken).ConfigureAwait(false);
            return previous with { Count = count, Last = now };
        }
        catch (KubernetesApiException e) when (e.IsNotFound)
        {
            return null; // expired (events have a TTL): record a new one
        }
    }

    private void Remember(string key, Recorded recorded)
    {
        lock (_gate)
        {
            if (_recent.Count >= MaxRemembered && !_recent.ContainsKey(key))
            {
                _recent.Clear(); // a rare storm of distinct Events: forget and start again rather than grow
            }
            _recent[key] = recorded;
        }
    }

    private static string Timestamp(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    private sealed record Recorded(string Name, int Count, DateTimeOffset Last);
}
